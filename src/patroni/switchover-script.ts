/**
 * The switchover a `PatroniSwitchover` Job runs, in Python 3 (the Patroni image has it; no
 * patronictl): read the leader from any member's `GET /cluster`, then `POST /switchover` with
 * that leader (Patroni 3 refuses a switchover without one) and the optional candidate, with the
 * REST API's basic auth when `PATRONI_RESTAPI_PASSWORD` is set. Patroni answers once the
 * switchover is done (200) or failed; the script exits non-zero unless it is 200.
 *
 * Environment: `PATRONI_URL` (e.g. `http://app-db-members:8008`), optional `SWITCHOVER_CANDIDATE`,
 * `PATRONI_RESTAPI_USERNAME`, `PATRONI_RESTAPI_PASSWORD`.
 */
export const SWITCHOVER_SCRIPT = `
import base64, json, os, sys, urllib.error, urllib.request

base = os.environ["PATRONI_URL"].rstrip("/")
with urllib.request.urlopen(base + "/cluster", timeout=10) as answer:
    members = json.load(answer)["members"]
leaders = [m["name"] for m in members if m.get("role") == "leader"]
if len(leaders) != 1:
    sys.exit("switchover: the cluster has no single leader (%s); nothing done" % leaders)
body = {"leader": leaders[0]}
candidate = os.environ.get("SWITCHOVER_CANDIDATE", "")
if candidate:
    body["candidate"] = candidate
request = urllib.request.Request(base + "/switchover", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
password = os.environ.get("PATRONI_RESTAPI_PASSWORD", "")
if password:
    user = os.environ.get("PATRONI_RESTAPI_USERNAME", "patroni")
    request.add_header("Authorization", "Basic " + base64.b64encode((user + ":" + password).encode()).decode())
try:
    with urllib.request.urlopen(request, timeout=120) as answer:
        status, text = answer.status, answer.read().decode()
except urllib.error.HTTPError as error:
    status, text = error.code, error.read().decode()
print("switchover from %s: %s %s" % (leaders[0], status, text))
sys.exit(0 if status == 200 else 1)
`;
