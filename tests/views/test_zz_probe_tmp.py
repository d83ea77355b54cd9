from __future__ import annotations
import re
from tests.helpers import csrf_token
PRACTICE = "/contests/cds-2026/practice"

def _try(client, method, path, **kw):
    try:
        return getattr(client, method)(path, **kw).status_code
    except Exception as e:
        return f"EXC {type(e).__name__}: {str(e)[:60]}"

def test_probe(runner, client, session):
    runner.invoke(args=["demo"])
    addr = client.get(f"{PRACTICE}/new").headers["Location"]
    for val in ["1"*5000, "-1", "abc", "", " 1", "١"]:
        print("choice", repr(val[:10]), _try(client, "post", addr, data={"choice": [val], "csrf_token": csrf_token(client)}))
    for q in ["?right=²", "?right=99999999999999999999999", "?right=-5", "?right=1"*3]:
        print("right", q, _try(client, "get", addr + q))
    for path in [f"{PRACTICE}/ZZZZ/1", f"{PRACTICE}/0123456789abcdef/0", f"{PRACTICE}/0123456789abcdef/99999999999999999999999999", f"{PRACTICE}/0123456789ABCDEF/1", "/pictures/" + "a"*64 + ".webp", "/pictures/../x.webp", "/pictures/" + "A"*64 + ".webp", "/contests/nope/practice", "/contests/nope/practice/new"]:
        print(path[:70], _try(client, "get", path))
    print("nocsrf", _try(client, "post", addr, data={"choice": ["1"]}))
    # picture page from demo
    page = client.get(addr).get_data(as_text=True)
    # find picture questions: iterate set numbers
    for n in range(1, 11):
        p = client.get(addr[:-1] + str(n)).get_data(as_text=True)
        for m in re.findall(r'<img[^>]*>', p):
            print(n, m[:200])
