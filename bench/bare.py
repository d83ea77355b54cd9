"""The ceiling: a ten-line Flask app answering a small JSON, served by gunicorn with the app's own settings in the
same run. Every endpoint's rate is also reported as a share of this one (CONTRACT §7)."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/ping")
def ping():  # type: ignore[no-untyped-def]
    return jsonify(ok=True)
