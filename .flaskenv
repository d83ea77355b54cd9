# Read by the `flask` command only (not by gunicorn): local commands run with the development
# configuration unless the environment says otherwise.
CONTEST_ENV=development
