"""Container healthcheck for web: GET /health/ on this container's gunicorn, exit 0 when 200.

The Host header is the first name of ALLOWED_HOSTS (Django refuses others); the probe speaks
plain http to the container, which config/settings.py exempts from the https redirect.
Standard library only, so it costs no Django start-up.
"""

import http.client
import os
import sys

hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",") if h.strip()]
host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "127.0.0.1"
connection = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8000")), timeout=4)
try:
    connection.request("GET", "/health/", headers={"Host": host})
    response = connection.getresponse()
    body = response.read(2000).decode("utf-8", "replace")
except OSError as error:
    sys.exit(f"healthcheck: {error}")
print(body)
sys.exit(0 if response.status == 200 else 1)
