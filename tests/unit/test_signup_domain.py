"""The sign-up rules, without Telegram or a database: answers, street matching, phone
numbers, expiry, and the conversation as a state machine."""

from __future__ import annotations

import pytest

from relaybot.domain.network import Network
from relaybot.domain.signup import (
    CALLBACK_LIMIT,
    CONVERSATION_TTL,
    NO_KEYBOARD,
    Address,
    Answers,
    Conversation,
    Keyboard,
    Labels,
    SharedContact,
    Status,
    Step,
    Text,
    address_key,
    advance,
    expires_at,
    hood_from_ref,
    hood_label,
    hood_ref,
    invite_lapsed,
    is_expired,
    look_alikes,
    match_street,
    normalise_phone,
    parse_address,
    start,
    street_key,
    suggest_street,
    valid_name,
)
from relaybot.domain.texts import Texts
from relaybot.network_file import NetworkError, parse_network

NETWORK = """
[network]
name = "Testdorp"
[regie]
chat_id = -100
[[neighbourhood]]
slug = "noord"
name = "Noord"
kern = "Dorp"
streets = ["Kerkstraat", "Molenweg", "Von Weddigenstraat"]
[[neighbourhood]]
slug = "zuid"
name = "Zuid"
kern = "Dorp"
streets = ["Kerkstraat", "Schoolstraat", "Rue de l'Église"]
[[neighbourhood]]
slug = "buiten"
name = "Zuid"
kern = "Buitengebied"
streets = ["Heideweg"]
"""


@pytest.fixture
def network() -> Network:
    return parse_network(NETWORK)


@pytest.fixture
def labels() -> Labels:
    return Labels(Texts("nl"))


# --- answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "street", "number"),
    [
        ("Heivelden 12", "Heivelden", "12"),
        ("Hoogstraat 3a", "Hoogstraat", "3a"),
        ("Kerkstraat 12-2", "Kerkstraat", "12-2"),
        ("Kerkstraat 12 A", "Kerkstraat", "12A"),
        ("1e Hogeweg 5", "1e Hogeweg", "5"),
        ("Molenweg12", "Molenweg", "12"),
        ("  Von   Weddigenstraat\n7 ", "Von Weddigenstraat", "7"),
        ("Kerkstraat, 4", "Kerkstraat", "4"),
    ],
)
def test_address_parsed(typed: str, street: str, number: str) -> None:
    """A street with a letter in it, then a house number with an optional addition."""
    assert parse_address(typed) == Address(street, number)


@pytest.mark.parametrize(
    "typed",
    ["12", "Kerkstraat", "", "   ", "Kerkstraat 0", "/stop 3", "Straat 123456", "x" * 99 + " 1"],
)
def test_address_refused(typed: str) -> None:
    """No number, no street, number 0, a command, a six-digit number or too long: None."""
    assert parse_address(typed) is None


def test_address_prints_as_street_and_number() -> None:
    """An address reads 'street number' on the card."""
    assert str(Address("Kerkstraat", "3a")) == "Kerkstraat 3a"


def test_street_matching_ignores_case_accents_and_spacing(network: Network) -> None:
    """'KERKSTRAAT', 'kérkstraat', 'von weddigen straat', 'Kerkstr.' all find their street;
    a street in two lists gives both, in file order."""
    assert match_street(network, "KERKSTRAAT") == ("noord", "zuid")
    assert match_street(network, "kérkstraat") == ("noord", "zuid")
    assert match_street(network, "Kerkstr.") == ("noord", "zuid")
    assert match_street(network, "von weddigen straat") == ("noord",)
    assert match_street(network, "rue de l'eglise") == ("zuid",)
    assert match_street(network, "Heideweg") == ("buiten",)
    assert match_street(network, "Onbekendelaan") == ()
    assert match_street(network, "...") == ()


def test_street_key() -> None:
    """The key drops case, accents, spaces and punctuation."""
    assert street_key("Rue de l'Église") == "ruedeleglise"
    assert street_key("Molenstr") == "molenstraat"
    assert street_key("Molenweg") == "molenweg"


def test_street_suggestion(network: Network) -> None:
    """A near miss suggests the listed street; a street only somewhat alike ('Schoolpad'
    for 'Schoolstraat') or unlike any suggests none."""
    assert suggest_street(network, "Kerkstaat") == "Kerkstraat"
    assert suggest_street(network, "Zeedijk") is None
    assert suggest_street(network, "Schoolpad") is None


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("06-12345678", "+31612345678"),
        ("06 1234 5678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("+31 (0)6 12345678", "+31612345678"),
        ("053 123 45 67", "+31531234567"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+1 202 555 0142", "+12025550142"),
        ("0049.30.1234567", "+49301234567"),
    ],
)
def test_phone_accepted(typed: str, normal: str) -> None:
    """Dutch ten-digit numbers and international numbers become '+<digits>'."""
    assert normalise_phone(typed) == normal


@pytest.mark.parametrize(
    "typed",
    [
        "612345678",  # no 0 or + in front
        "0612",  # too short
        "061234567890",  # too long for a Dutch number
        "+310612345678",  # 0 after the country code
        "+3161234567",  # Dutch number one digit short
        "+1234567",  # too short
        "+1234567890123456",  # longer than E.164
        "+0612345678",
        "06-1234567a",
        "bel me",
        "",
    ],
)
def test_phone_refused(typed: str) -> None:
    """Anything that is not a whole Dutch or international number is refused."""
    assert normalise_phone(typed) is None


def test_phone_from_contact_may_lack_plus() -> None:
    """Telegram shares contacts as '31612345678': accepted from a contact, not typed."""
    assert normalise_phone("31612345678", from_contact=True) == "+31612345678"
    assert normalise_phone("31612345678") is None


@pytest.mark.parametrize(
    ("typed", "name"),
    [("Anna", "Anna"), ("  Jan   de  Vries ", "Jan de Vries"), ("Bo", "Bo"), ("x" * 64, "x" * 64)],
)
def test_name_accepted(typed: str, name: str) -> None:
    """2-64 characters with a letter, spaces tidied."""
    assert valid_name(typed) == name


@pytest.mark.parametrize("typed", ["A", "", "x" * 65, "1234", "/start", "  ", "!!"])
def test_name_refused(typed: str) -> None:
    """Too short, too long, no letter, or a command."""
    assert valid_name(typed) is None


def test_expiry_rule() -> None:
    """A conversation expires 30 minutes after its last answer, not a moment before."""
    assert CONVERSATION_TTL == 30 * 60
    due = expires_at(1000.0)
    assert due == 1000.0 + 1800
    assert not is_expired(due, due - 0.001)
    assert is_expired(due, due)
    assert not is_expired(None, 10**12)


def test_an_unused_invite_lapses_when_it_expires() -> None:
    """Only an admission whose link has expired lapses; other states never do."""
    assert invite_lapsed(Status.ADMITTED, 100.0, 100.0)
    assert not invite_lapsed(Status.ADMITTED, 100.0, 99.0)
    assert not invite_lapsed(Status.ADMITTED, None, 10**12)
    assert not invite_lapsed(Status.PENDING, 100.0, 10**12)
    assert not invite_lapsed(Status.JOINED, 100.0, 10**12)
    assert {s for s in Status if s.is_open} == {
        Status.ASKING,
        Status.PENDING,
        Status.ADMITTED,
        Status.WAITING,  # on the waiting list for a street without a group
    }


def test_hood_label_adds_kern_only_for_twins(network: Network) -> None:
    """Two neighbourhoods called 'Zuid' get their kern; a unique name stays bare."""
    assert hood_label(network, "noord") == "Noord"
    assert hood_label(network, "zuid") == "Zuid (Dorp)"
    assert hood_label(network, "buiten") == "Zuid (Buitengebied)"


def test_answers_round_trip() -> None:
    """Answers survive storage as a dict."""
    answers = Answers("Anna", "Kerkstraat 1", "noord", ("noord", "zuid"), "+31612345678")
    assert Answers.from_dict(answers.to_dict()) == answers
    assert Answers.from_dict({}) == Answers()
    checked = Answers(phone="+31612345678", phone_shared=True, same_phone=(3,), same_address=(4,))
    assert Answers.from_dict(checked.to_dict()) == checked


def test_look_alikes_name_the_same_phone_and_the_same_address() -> None:
    """Another sign-up with the same number, or the same address however it is spelt, is
    named; a neighbour at another number of the street is not."""
    mine = Answers("Anna", "Kievitstraat 12", phone="+31612345678")
    others = {
        3: Answers("Anna", "Molenweg 1", phone="+31612345678"),
        5: Answers("Bert", "kievitstr. 12", phone="+31687654321"),
        7: Answers("Carla", "Kievitstraat 14", phone="+31611111111"),
        9: Answers("Anna", "KIEVITSTRAAT 12", phone="+31612345678"),
    }
    found = look_alikes(mine, others)
    assert (found.same_phone, found.same_address) == ((3, 9), (5, 9))
    assert look_alikes(mine, {}) == mine
    assert address_key("Kievitstraat 12a") != address_key("Kievitstraat 12")


# --- the conversation ------------------------------------------------------------------------


def walk(network: Network, labels: Labels, *inputs: str | SharedContact) -> list:
    """Run a conversation from its start through the inputs; every outcome, in order."""
    outcome = start(labels)
    seen = [outcome]
    for given in inputs:
        assert outcome.conversation is not None
        event = Text(given) if isinstance(given, str) else given
        outcome = advance(outcome.conversation, event, network=network, labels=labels)
        seen.append(outcome)
    return seen


def test_start_asks_age_with_ja_nee(labels: Labels) -> None:
    """The first question offers exactly 'Ja' and 'Nee'."""
    first = start(labels)
    assert first.conversation == Conversation(Step.AGE)
    assert first.replies[0].key == "signup_ask_age"
    assert first.replies[0].keyboard.rows == (("Ja", "Nee"),)


def test_english_labels() -> None:
    """In English the answers are 'Yes'/'No', 'I agree'; typed Dutch answers still count."""
    english = Labels(Texts("en"))
    assert english.is_yes("ja") and english.is_no("nee") and english.is_agree("akkoord")
    assert (english.yes, english.no, english.agree) == ("Yes", "No", "I agree")
    assert start(english).replies[0].keyboard.rows == (("Yes", "No"),)


def test_happy_path_to_submission(network: Network, labels: Labels) -> None:
    """Ja, a name, a street in one list, a typed phone, Akkoord: submitted with every answer."""
    seen = walk(network, labels, "Ja", "Anna de Boer", "Molenweg 3", "06 12345678", "Akkoord")
    steps = [o.conversation.step for o in seen[:-1]]
    assert steps == [Step.AGE, Step.NAME, Step.ADDRESS, Step.PHONE, Step.RULES]
    last = seen[-1]
    assert last.submitted and last.replies == ()
    assert last.conversation.answers == Answers(
        "Anna de Boer", "Molenweg 3", "noord", (), "+31612345678"
    )
    assert seen[3].replies[-1].keyboard.contact == "📱 Deel mijn nummer"
    assert seen[4].replies[-1].keyboard.rows == (("Akkoord",),)


def test_nee_ends_politely(network: Network, labels: Labels) -> None:
    """'Nee' at the first question ends the conversation with a polite line."""
    last = walk(network, labels, "nee")[-1]
    assert last.conversation is None and not last.submitted
    assert [r.key for r in last.replies] == ["signup_said_no"]


def test_wrong_answers_keep_the_step_and_say_what_is_expected(
    network: Network, labels: Labels
) -> None:
    """Each step refuses a wrong answer with its own line and shows its keyboard again."""
    seen = walk(
        network,
        labels,
        "misschien",
        "Ja",
        "A",
        "Anna",
        "zomaar",
        "Molenweg 3",
        "bel me",
        "0612345678",
        "ok",
    )
    keys = [o.replies[0].key for o in seen[1:]]
    assert keys[0] == "signup_age_again" and seen[1].replies[0].keyboard.rows == (("Ja", "Nee"),)
    assert seen[1].conversation.step is Step.AGE
    assert keys[2] == "signup_name_invalid" and seen[3].conversation.step is Step.NAME
    assert keys[4] == "signup_address_invalid" and seen[5].conversation.step is Step.ADDRESS
    assert keys[6] == "signup_phone_invalid" and seen[7].conversation.step is Step.PHONE
    assert seen[7].replies[0].keyboard.contact is not None
    assert keys[8] == "signup_rules_again" and seen[9].conversation.step is Step.RULES
    assert not seen[9].submitted


def test_ambiguous_street_offers_one_button_per_neighbourhood(
    network: Network, labels: Labels
) -> None:
    """A street in two lists asks which, with their names; a pick chooses; anything else
    asks again."""
    seen = walk(network, labels, "Ja", "Anna", "kerkstraat 5", "Elders", "Zuid (Dorp)")
    choose = seen[3]
    assert choose.conversation.step is Step.CHOOSE
    assert choose.replies[-1].keyboard.rows == (("Noord",), ("Zuid (Dorp)",))
    assert seen[4].replies[0].key == "signup_choose_again"
    assert seen[5].conversation.step is Step.PHONE
    assert seen[5].conversation.answers.slug == "zuid"
    assert seen[5].conversation.answers.candidates == ()


def test_unmatched_street_try_again_or_go_on(network: Network, labels: Labels) -> None:
    """No list holds the street: a near miss is suggested; a new address is tried again;
    'Verder zonder buurt' goes on with no neighbourhood."""
    seen = walk(network, labels, "Ja", "Anna", "Kerkstaat 5", "Zeedijk 1", "Verder zonder buurt")
    assert seen[3].conversation.step is Step.UNMATCHED
    assert seen[3].replies[0].key == "signup_unmatched_hint"
    assert seen[3].replies[0].values["hint"] == "Kerkstraat"
    assert seen[3].replies[0].keyboard.rows == (("Verder zonder buurt",),)
    assert seen[4].replies[0].key == "signup_unmatched"
    assert seen[5].conversation.step is Step.PHONE
    assert seen[5].conversation.answers.slug is None
    assert seen[5].conversation.answers.address == "Zeedijk 1"
    retried = walk(network, labels, "Ja", "Anna", "Zeedijk 1", "Heideweg 2")[-1]
    assert retried.conversation.step is Step.PHONE
    assert retried.conversation.answers.slug == "buiten"


def test_own_contact_accepted_someone_elses_refused(network: Network, labels: Labels) -> None:
    """A shared contact is taken only when its user_id is the sender's."""
    before = walk(network, labels, "Ja", "Anna", "Molenweg 3")
    phone_step = before[-1].conversation
    other = advance(phone_step, SharedContact("31612345678", 99, 7), network=network, labels=labels)
    assert other.replies[0].key == "signup_contact_not_own"
    assert other.conversation == phone_step
    unknown = advance(
        phone_step, SharedContact("31612345678", None, 7), network=network, labels=labels
    )
    assert unknown.replies[0].key == "signup_contact_not_own"
    own = advance(phone_step, SharedContact("31612345678", 7, 7), network=network, labels=labels)
    assert own.conversation.step is Step.RULES
    assert own.conversation.answers.phone == "+31612345678"
    assert own.conversation.answers.phone_shared
    typed = advance(phone_step, Text("06 12345678"), network=network, labels=labels)
    assert typed.conversation.answers.phone == "+31612345678"
    assert not typed.conversation.answers.phone_shared
    bad = advance(phone_step, SharedContact("12", 7, 7), network=network, labels=labels)
    assert bad.replies[0].key == "signup_phone_invalid"


def test_contact_before_the_phone_question(network: Network, labels: Labels) -> None:
    """A contact shared at another step is not taken; the step's question stands."""
    name_step = walk(network, labels, "Ja")[-1].conversation
    out = advance(name_step, SharedContact("31612345678", 7, 7), network=network, labels=labels)
    assert out.conversation == name_step
    assert out.replies[0].key == "signup_contact_unasked"


def test_network_contact_line_is_optional() -> None:
    """`[network] contact` is read when given and empty when not; it must be text."""
    assert parse_network(NETWORK).contact == ""
    given = NETWORK.replace('name = "Testdorp"', 'name = "Testdorp"\ncontact = " 14 0000 "')
    assert parse_network(given).contact == "14 0000"
    with pytest.raises(NetworkError, match="contact"):
        parse_network(NETWORK.replace('name = "Testdorp"', 'name = "Testdorp"\ncontact = 5'))


def test_control_characters_go_and_spacing_is_tidied() -> None:
    """Invisible and control characters are dropped; tabs and newlines become spaces."""
    assert valid_name("\u200bJan\x00\tde\nVries\u202e") == "Jan de Vries"


def test_address_edges() -> None:
    """A leading comma is no part of the street; 100 characters are allowed, 101 not;
    'Molenstr ' with a trailing space is still read as '...straat'."""
    assert parse_address(", Kerkstraat 4") == Address("Kerkstraat", "4")
    assert parse_address("Xenonweg 4X") == Address("Xenonweg", "4X")
    longest = "K" * 97 + " 12"
    assert len(longest) == 100 and parse_address(longest) == Address("K" * 97, "12")
    assert parse_address("K" * 98 + " 12") is None
    assert street_key("Molenstr ") == "molenstraat"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("+12345678", "+12345678"),  # eight digits: the shortest accepted
        ("+123456789012345", "+123456789012345"),  # fifteen: the longest
    ],
)
def test_phone_length_bounds(typed: str, normal: str) -> None:
    """International numbers of 8 to 15 digits are accepted."""
    assert normalise_phone(typed) == normal


def test_dutch_number_with_a_zero_after_the_country_code_is_refused() -> None:
    """'+31 06 ...' of the right length is still wrong: no 0 after 31."""
    assert normalise_phone("+31061234567") is None
    assert normalise_phone("+31161234567") == "+31161234567"


def test_typed_answers_count_like_the_buttons(labels: Labels) -> None:
    """'ja', 'JA', 'yes', 'j', 'y' are yes; 'nee', 'no', 'n' are no; 'akkoord', 'agree',
    'I agree' agree; anything else is none of these."""
    for word in ("Ja", "ja", "JA", "yes", "j", "y", " Ja "):
        assert labels.is_yes(word), word
    for word in ("Nee", "nee", "no", "n"):
        assert labels.is_no(word), word
    for word in ("Akkoord", "akkoord", "agree", "I agree"):
        assert labels.is_agree(word), word
    for word in ("", "misschien", "jawel", "nooit"):
        assert not labels.is_yes(word) and not labels.is_no(word) and not labels.is_agree(word)
    assert labels.is_no_match("verder zonder buurt") and not labels.is_no_match("")


def test_each_step_asks_its_own_question(network: Network, labels: Labels) -> None:
    """After each answer the next question follows, with the values its text needs; a
    wrong answer's line carries what it names (Ja/Nee, 2 and 64, Akkoord)."""
    seen = walk(network, labels, "Ja", "Anna", "Kerkstraat 5", "zuid", "0612345678", "?", "Akkoord")
    asked = [o.replies[-1].key for o in seen[:6]]
    assert asked == [
        "signup_ask_age",
        "signup_ask_name",
        "signup_ask_address",
        "signup_choose",
        "signup_ask_phone",
        "signup_ask_rules",
    ]
    assert seen[3].replies[-1].values == {"address": "Kerkstraat 5"}
    assert seen[4].conversation.answers.slug == "zuid"  # typed as the slug
    assert seen[6].replies[0].values == {"agree": "Akkoord"}
    assert seen[7].submitted and seen[7].conversation.step is Step.RULES
    again = walk(network, labels, "?")[-1].replies[0]
    assert again.values == {"yes": "Ja", "no": "Nee"}
    name = walk(network, labels, "Ja", "?")[-1].replies[0]
    assert name.values == {"low": 2, "high": 64}
    unmatched = walk(network, labels, "Ja", "Anna", "Zeedijk 1")[-1].replies[0]
    assert unmatched.values == {"address": "Zeedijk 1"}


def test_keyboard_as_stored() -> None:
    """A keyboard is stored as rows, a contact label, a remove flag and a location label."""
    plain = {"contact": None, "remove": False, "location": None}
    assert NO_KEYBOARD.to_dict() == {"rows": [], **plain, "remove": True}
    assert Keyboard((("Ja", "Nee"),)).to_dict() == {"rows": [["Ja", "Nee"]], **plain}
    assert Keyboard(contact="📱").to_dict() == {"rows": [], **plain, "contact": "📱"}
    assert Keyboard(location="📍").to_dict() == {"rows": [], **plain, "location": "📍"}


def test_neighbourhood_buttons_fit_telegrams_callback_limit() -> None:
    """A button names its neighbourhood by slug; a slug too long for Telegram's 64 bytes
    is named by its position instead; both lead back to the slug."""
    long_slug = "de-buurt-met-de-allerlangste-naam-van-heel-twente-en-verder"
    network = parse_network(
        NETWORK + f'\n[[neighbourhood]]\nslug = "{long_slug}"\nname = "Lang"\nkern = "Dorp"\n'
    )
    short = hood_ref(network, "noord", "aanmelding:to:12345:")
    assert short == "aanmelding:to:12345:noord"
    long = hood_ref(network, long_slug, "aanmelding:to:12345:")
    assert long == "aanmelding:to:12345:#3" and len(long.encode()) <= CALLBACK_LIMIT
    exact = "x" * (CALLBACK_LIMIT - len("noord"))
    assert hood_ref(network, "noord", exact) == exact + "noord"
    assert hood_from_ref(network, "noord") == "noord"
    assert hood_from_ref(network, "#3") == long_slug
    assert hood_from_ref(network, "#4") is None
    assert hood_from_ref(network, "#x") is None
    assert hood_from_ref(network, "elders") is None
