"""A Tendril LAN client: keeps a copy of the station's state with the algorithm of section 5.4
and the reducer in its table, proves the copy against the station's state hash (5.7), and
switches a relay.

It needs python-socketio 5 with a websocket client: Debian's python3-socketio and
python3-websocket, or pip install "python-socketio[client]". python-engineio 4 runs every
message's handler on a thread of its own, so handlers may run at the same time and in another
order than the messages came. Here they only put what came on a queue; one thread takes it from
there, holds an event that overtook an earlier one until the earlier one is in, and owns the copy.

    TENDRIL_URL=http://192.168.1.50:4545 TENDRIL_TOKEN=… python3 lan_client.py
"""
import json
import os
import queue
import sys
import threading
import time
import uuid
from decimal import Decimal

import socketio

URL = os.environ.get("TENDRIL_URL", "http://192.168.1.50:4545")   # as in the pairing link
TOKEN = os.environ.get("TENDRIL_TOKEN", "paste-the-token-from-the-pairing-link")
EVENTS = ["link_update", "link_stats", "device_update", "relay_update", "pump_progress",
          "fill_progress", "flow_update", "ecph_reading", "estop_update", "alert", "alerts_ack",
          "tanks_update", "job_update", "presence", "recipes_update", "schedules_update",
          "calibration_update", "reading_band", "reading_alarms_update", "limits_update",
          "sensor_health", "broker_update", "fleet_update"]
MAX_ALERTS = 100
MAX_FINISHED_JOBS = 50
FINISHED = ("succeeded", "failed", "cancelled", "interrupted")
GAP_WAIT_S = 1.0   # how long an event that overtook an earlier one waits for it


def waits_for_a_person(alert):
    return alert["level"] != "info" and not alert.get("ack")


def with_alert(alerts, alert):
    alerts = [a for a in alerts if a["id"] != alert["id"]] + [alert]
    excess = len(alerts) - MAX_ALERTS
    kept = []
    for a in alerts:
        if excess > 0 and a is not alert and not waits_for_a_person(a):
            excess -= 1
        else:
            kept.append(a)
    return kept[-MAX_ALERTS:]


def with_job(jobs, job):
    jobs = [j for j in jobs if j["id"] != job["id"]] + [job]
    drop = sum(1 for j in jobs if j["state"] in FINISHED) - MAX_FINISHED_JOBS
    kept = []
    for j in jobs:
        if drop > 0 and j["state"] in FINISHED:
            drop -= 1
        else:
            kept.append(j)
    return kept


def apply_change(state, e):
    """The reducer of section 5.4, for one event. Replaces, never mutates, the nested parts."""
    s = dict(state)
    t = e["type"]
    if t == "link_update":
        s["link"] = e["link"]
    elif t == "link_stats":
        s["stats"] = e["stats"]
    elif t == "device_update":
        for key in ("device", "channels", "relays", "pumps", "flows", "readings"):
            s[key] = e[key]
        s["estop"] = {"latched": e["estop"], "source": state["estop"]["source"] if e["estop"] else None}
        s["alarm"] = ({"code": e["alarm"], "message": "the controller reports alarm " + e["alarm"], "at": e["at"]}
                      if e["alarm"] else None)
    elif t == "relay_update":
        s["relays"] = {**state["relays"], e["relayId"]: {"on": e["on"], "why": e["why"]}}
    elif t == "pump_progress":
        s["pumps"] = {**state["pumps"], e["pumpId"]: {"running": not e["done"], "ml": e["ml"], "target": e["targetMl"]}}
    elif t == "flow_update":
        s["flows"] = {**state["flows"], e["meterId"]: {"pulses": e["pulses"], "rate": e["rate"]}}
    elif t == "ecph_reading":
        reading = {"value": e["value"], "at": e["at"]}
        if "raw" in e:
            reading["raw"] = e["raw"]
        s["readings"] = {**state["readings"], e["sensorId"]: reading}
    elif t == "estop_update":
        s["estop"] = {"latched": e["latched"], "source": e["source"] if e["latched"] else None}
    elif t == "alert":
        a = e["alert"]
        s["alerts"] = with_alert(state["alerts"], a)
        if a["source"] == "controller":
            s["alarm"] = {"code": a["code"], "message": a["message"], "at": a.get("lastAt", a["at"])}
    elif t == "alerts_ack":
        s["alerts"] = [{**a, "ack": {"by": e["by"], "at": e["at"]}} if a["id"] in e["ids"] and not a.get("ack") else a
                       for a in state["alerts"]]
    elif t == "tanks_update":
        s["tanks"] = e["tanks"]
    elif t == "job_update":
        s["jobs"] = with_job(state["jobs"], e["job"])
    elif t == "presence":
        s["screens"] = e["screens"]
    elif t == "recipes_update":
        s["recipes"] = e["recipes"]
    elif t == "schedules_update":
        s["schedules"] = e["schedules"]
    elif t == "calibration_update":
        s["calibration"] = e["calibration"]
    elif t == "limits_update":
        s["limits"] = e["limits"]
    elif t == "reading_band":
        s["readingBands"] = {**state["readingBands"], e["sensorId"]: e["band"]}
    elif t == "reading_alarms_update":
        s["readingAlarms"] = e["settings"]
    elif t == "sensor_health":
        s["sensorHealth"] = {**state["sensorHealth"], e["sensorId"]: e["health"]}
    elif t == "broker_update":
        s["broker"] = e["broker"]
    elif t == "fleet_update":
        s["fleet"] = e["fleet"]
    # fill_progress, and a type this client does not know, change nothing
    return s


def js_number(x):
    """A number as JavaScript's JSON.stringify writes it (1 not 1.0, 1e-7 not 1e-07)."""
    if isinstance(x, int) or (x == int(x) and abs(x) < 1e21):
        return str(int(x))
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    d = "".join(map(str, digits))
    k, n = len(d), exponent + len(d)
    if k <= n <= 21:
        text = d + "0" * (n - k)
    elif 0 < n <= 21:
        text = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + d
    else:
        text = d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if n >= 1 else "-") + str(abs(n - 1))
    return ("-" if sign else "") + text


def canonical_json(v):
    """Sorted keys, no whitespace, strings and numbers as JSON.stringify writes them (5.7)."""
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, list):
        return "[" + ",".join(canonical_json(x) for x in v) + "]"
    keys = sorted(v, key=lambda k: k.encode("utf-16-be"))   # UTF-16 code units, as JavaScript sorts
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_json(v[k]) for k in keys) + "}"


def state_hash(state):
    """FNV-1a, 32 bits, of the UTF-8 canonical JSON, as 8 hex digits (5.7)."""
    h = 0x811C9DC5
    for byte in canonical_json(state).encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return format(h, "08x")


class Follower:
    """A copy of the station's state, kept by one thread from what the handlers queue."""

    def __init__(self, sio):
        self.sio = sio
        self.inbox = queue.Queue()
        self.lock = threading.Lock()   # held while the copy changes; read self.state under it
        self.epoch, self.seq, self.state = None, 0, None
        self.waiting = True            # no snapshot yet, or one asked for
        self.held = {}                 # (epoch, seq) -> an event that came before it was due
        self.notes = {}                # seq -> the station's hash at that seq, not reached yet
        self.gap_since = None
        self.events = self.checks = self.mismatches = self.resyncs = 0
        threading.Thread(target=self._run, daemon=True).start()

    def receive(self, name, payload):
        self.inbox.put((name, payload))

    def _run(self):
        while True:
            try:
                name, payload = self.inbox.get(timeout=GAP_WAIT_S / 2)
            except queue.Empty:
                name = None
            with self.lock:
                if name in ("initial_state", "status_update"):
                    self._snapshot(payload)
                elif name == "state_hash":
                    self._note(payload)
                elif name is not None:
                    self._event(payload)
                if self.gap_since is not None and time.monotonic() - self.gap_since > GAP_WAIT_S:
                    self._resync()     # the missing event is not coming: start over from a snapshot

    def _snapshot(self, snap):
        self.epoch, self.seq, self.state = snap["epoch"], snap["seq"], snap["state"]
        self.waiting, self.gap_since = False, None
        self.held = {key: e for key, e in self.held.items() if key[0] == self.epoch and key[1] > self.seq}
        self.notes = {seq: h for seq, h in self.notes.items() if seq > self.seq}
        if "stateHash" in snap:
            self._compare(snap["stateHash"])
        self._catch_up()

    def _event(self, e):
        if len(self.held) > 10000:
            self.held.clear()
        self.held[(e["epoch"], e["seq"])] = e
        if self.waiting:
            return                     # the coming snapshot holds it, or it follows the snapshot
        if e["epoch"] != self.epoch:
            self._resync()             # the station restarted
            return
        self._catch_up()

    def _catch_up(self):
        while not self.waiting and (self.epoch, self.seq + 1) in self.held:
            e = self.held.pop((self.epoch, self.seq + 1))
            self.state, self.seq = apply_change(self.state, e), e["seq"]
            self.events += 1
            if self.seq in self.notes:
                self._compare(self.notes.pop(self.seq))
        for key in [key for key in self.held if key[0] == self.epoch and key[1] <= self.seq]:
            del self.held[key]         # repeats
        ahead = any(key[0] == self.epoch for key in self.held)
        self.gap_since = (self.gap_since or time.monotonic()) if ahead and not self.waiting else None

    def _note(self, note):
        if note["epoch"] != self.epoch or note["seq"] < self.seq:
            return
        if note["seq"] == self.seq and not self.waiting:
            self._compare(note["stateHash"])
        else:
            self.notes[note["seq"]] = note["stateHash"]

    def _compare(self, expected):
        self.checks += 1
        if state_hash(self.state) != expected:
            self.mismatches += 1
            self._resync()

    def _resync(self):
        self.waiting, self.gap_since = True, None
        self.resyncs += 1
        self.sio.emit("resync")


def connect(url, token, name):
    sio = socketio.Client(reconnection_delay=1, reconnection_delay_max=30)
    follower = Follower(sio)
    # Every server event carries one more argument (the recovery offset, 5.6), hence *rest.
    for event in ["initial_state", "status_update", "state_hash"] + EVENTS:
        sio.on(event, lambda payload, *rest, event=event: follower.receive(event, payload))

    @sio.on("connect_error")
    def on_connect_error(err):
        # {"message": ..., "data": {"code": "UNAUTHORIZED" | "RATE_LIMITED", "retryAfterMs"?: n}}
        print("refused:", err, file=sys.stderr)

    sio.connect(url, transports=["websocket"], auth={"token": token, "name": name})
    return sio, follower


def command(sio, body):
    body = {"id": str(uuid.uuid4()), **body}
    for _ in range(3):                 # a lost ack is retried with the SAME id
        try:
            return sio.call("command", body, timeout=10)
        except socketio.exceptions.TimeoutError:
            continue
    raise RuntimeError("no answer from the station")


def follow(sio, follower, events, timeout_s):
    """Follows until `events` have been applied and standard input is closed (Ctrl-D), then
    until the station's next hash has been checked."""
    stdin_closed = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stdin_closed.set()), daemon=True).start()
    deadline = time.monotonic() + timeout_s
    checks_at = None
    while time.monotonic() < deadline:
        with follower.lock:
            if checks_at is None and follower.events >= events and stdin_closed.is_set():
                checks_at = follower.checks
            if checks_at is not None and follower.checks > checks_at:
                break
        time.sleep(0.1)
    with follower.lock:
        state = follower.state
        return {"events": follower.events, "checks": follower.checks, "mismatches": follower.mismatches,
                "resyncs": follower.resyncs, "seq": follower.seq, "stateHash": state_hash(state),
                "recipes": len(state["recipes"]), "schedules": len(state["schedules"]),
                "finishedJobs": sum(1 for j in state["jobs"] if j["state"] in FINISHED)}


def main(args):
    sio, follower = connect(URL, TOKEN, "python example")
    try:
        if args[:1] == ["--follow"]:
            print(json.dumps(follow(sio, follower, int(args[1]), float(args[2]) if len(args) > 2 else 120)))
            return
        time.sleep(2)
        with follower.lock:
            print("EC:", follower.state["readings"].get("ec1"))
        print(command(sio, {"type": "relay.set", "relayId": "air", "on": True}))
        time.sleep(1)
        with follower.lock:
            print("air:", follower.state["relays"]["air"], "hash checks:", follower.checks,
                  "mismatches:", follower.mismatches)
    finally:
        sio.disconnect()


if __name__ == "__main__":
    main(sys.argv[1:])
