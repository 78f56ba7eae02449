"""relaybot: bridges buurtpreventie chats."""
