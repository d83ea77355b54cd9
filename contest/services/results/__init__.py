"""Results people can hold: the public announcement, the winners document and the certificates."""
