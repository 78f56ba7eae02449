"""`relaybot playground`: the real bot against the emulator, and a web page on loopback to
watch every chat and act as anyone in it (resident, co-admin, contact person)."""
