"""Search: the document, the typed request, and the engines behind one port."""
