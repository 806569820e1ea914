"""Acquire: the only package that touches the network. A polite HTTP session (http), the Internet Archive
client (wayback), mirrors (mirror), the raw snapshot store and its manifest (archive), and the engine that
brings each source's files into the store (fetch)."""
