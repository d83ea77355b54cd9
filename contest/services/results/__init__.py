"""What a round's end produces: closing, disqualification, publishing, the announcement, the winners document, the
certificates and the share card."""
