"""What DeepFlow's own database takes for the Traffic Flows statements at the scale benchmark's size.

    .tools/venv/bin/python tests/bench/clickhouse-flows-bench.py      (scripts/bench.sh runs it)
    .tools/venv/bin/python tests/bench/clickhouse-flows-bench.py --day-only      (the day's two statements only)

The scale benchmark's querier is the sandbox's stand-in (sandbox/backend/querier.ts), which computes every minute of
every edge in JavaScript. This runs the querier's real translations of the page's statements (recorded from DeepFlow
v7.1.8's translator: tests/contract/fixtures/deepflow-v7.1.8-translations.json) on ClickHouse 23.10 (chdb) over
DeepFlow's real schema (tests/contract/clickhouse), with the scale seed's shape written the way the ingester writes
it: 50,000 edges between 5,000 pods in 50 namespaces on 100 nodes, one `network_map.1m` row per edge and minute for
an hour (3,000,000 rows), one `network.1m` row per side of each edge and minute (6,000,000 rows), and the
controller's pod, namespace, node and device names behind the flow_tag dictionaries:
- the edge statement (`flows/edges/range=1h/ns=-`);
- the VM talkers of all namespaces, every address ranked (`flows/talkers/vm/bytes/addresses/range=1h/ns=-`);
- the VM talkers of one namespace whose VMs have 4,096 addresses (one statement's most, QUERY_LIMITS.maxAddresses) as
  IN lists;
- the VM talkers of one namespace whose VMs have 256 addresses (the most an OR chain held, maxListValues), twice: the recording `.../ns=vms` with its IN list (sql.ts anyAddress) holding 256 seeded addresses, and the
  extension's earlier form, an OR chain on the `ip` tag, as the translator writes it for each listed address
  (`probe/ip-or-chain`, its two terms repeated for 256 addresses).
Then, in a session of its own, a day: 5,000 edges for 1,440 minutes (7,200,000 `network_map.1m` rows; DeepFlow's own
materialized view sums them into `network_map.1h` as they are written), and the day's edge statement twice: as the
extension sends it, on the hourly rollups (`flows/edges/range=24h/ns=-`), and on the minute rows
(`probe/edges-day-on-minute-rows`, the same statement with data_precision 1m).
Prints figures only: wall time and the CPU time of this process (chdb runs in it, on every core).
"""
from __future__ import annotations

import json
import os
import re
import resource
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = os.path.join(HERE, "..", "contract")
sys.path.insert(0, os.path.join(CONTRACT, "clickhouse"))
import deepflow_schema  # noqa: E402

EDGES, PODS, NAMESPACES, NODES, MINUTES, RUNS = 50_000, 5_000, 50, 100, 60, 5
DAY_EDGES, DAY_MINUTES = 5_000, 1_440
RECORDING = "flows/edges/range=1h/ns=-"
DAY_HOURLY = "flows/edges/range=24h/ns=-"
DAY_MINUTE_ROWS = "probe/edges-day-on-minute-rows"
ALL_VMS = "flows/talkers/vm/bytes/addresses/range=1h/ns=-"
NAMESPACE_VMS = "flows/talkers/vm/bytes/addresses/range=1h/ns=vms"
OR_CHAIN = "probe/ip-or-chain"
LISTED_ADDRESSES = 256


def recorded(recording_id: str) -> str:
    with open(os.path.join(CONTRACT, "fixtures", "deepflow-v7.1.8-translations.json")) as f:
        recording = next(r for r in json.load(f)["recordings"] if r["id"] == recording_id)
    (sql,) = recording["clickhouse_sql"]
    return sql


def recorded_statement(recording_id: str = RECORDING) -> tuple[str, int, int]:
    """A statement's translation, and the range its WHERE names (the recording's fixed clock)."""
    sql = recorded(recording_id)
    start = int(sql.split("`time` >= ")[1].split(" ")[0])
    end = int(sql.split("`time` <= ")[1].split(" ")[0])
    return sql, start, end


def pod_address(pod: int) -> str:
    """The seeded address of pod `pod` (seed: 10.0.0.0 + id)."""
    return ".".join(str((167772160 + pod) >> s & 255) for s in (24, 16, 8, 0))


LISTED = [pod_address(1 + pod * 7) for pod in range(LISTED_ADDRESSES)]
MOST = 4096  # QUERY_LIMITS.maxAddresses: the longest address list the extension sends


def listing_in(addresses: list[str]) -> str:
    """NAMESPACE_VMS's translation with its IPv4 list holding `addresses` (its IPv6 list left as recorded)."""
    sql = recorded(NAMESPACE_VMS)
    found = re.search(r"is_ipv4 = 1 AND ip4 in \(('[^']+'(?:, '[^']+')*)\)", sql)
    if not found:
        raise SystemExit(f"{NAMESPACE_VMS}: the recorded translation has no IPv4 list of the expected form")
    return sql[:found.start(1)] + ", ".join(f"'{a}'" for a in addresses) + sql[found.end(1):]


def listing_or_chain() -> str:
    """OR_CHAIN's translation with one term per LISTED address, as the translator writes each (`ip='a'`)."""
    sql = recorded(OR_CHAIN)
    term = r"\(\(\(if\(is_ipv4=1, ip4 = toIPv4OrNull\('[^']+'\), ip6 = toIPv6OrNull\('[^']+'\)\)\)\)\)"
    condition = re.search(rf" AND \(({term}(?: OR {term})*)\) GROUP BY ", sql)
    if not condition:
        raise SystemExit(f"{OR_CHAIN}: the recorded translation has no address condition of the expected form")
    first = re.match(term, condition.group(1)).group(0)
    address = re.search(r"toIPv4OrNull\('([^']+)'\)", first).group(1)
    terms = " OR ".join(first.replace(f"'{address}'", f"'{a}'") for a in LISTED)
    return sql[:condition.start(1)] + terms + sql[condition.end(1):]


def seed(q, start: int, edges: int = EDGES, minutes: int = MINUTES, sides: bool = True) -> None:
    # Each edge: a client and a server pod (ids 1..PODS), TCP to one of 20 ports; pods are spread over namespaces
    # and nodes by id. The metrics vary by minute as the stand-in's do (a few KiB to a few MiB per minute).
    side = lambda s, pod: (  # noqa: E731
        f"toIPv4(167772160 + {pod}) AS ip4_{s}, {pod} AS pod_id_{s}, 1 + {pod} % {NAMESPACES} AS pod_ns_id_{s}, "
        f"1 + {pod} % {NODES} AS pod_node_id_{s}, 10 AS auto_instance_type_{s}, {pod} AS auto_instance_id_{s}, "
        f"10 AS auto_service_type_{s}")
    client = f"(1 + (number % {edges}) % {PODS})"
    # Ten servers per client pod: 50,000 distinct pairs, so the statement has as many groups as the seed has edges.
    server = f"(1 + ((number % {edges}) * 7919 + intDiv(number % {edges}, {PODS}) * 131 + 13) % {PODS})"
    bytes_ = f"(1000 + cityHash64(number % {edges}) % 3000000) * (6 + intDiv(number, {edges}) % 5) / 10"
    q(f"""INSERT INTO flow_metrics.`network_map.1m_local`
          (time, is_ipv4, ip4_0, pod_id_0, pod_ns_id_0, pod_node_id_0, auto_instance_type_0, auto_instance_id_0,
           auto_service_type_0, ip4_1, pod_id_1, pod_ns_id_1, pod_node_id_1, auto_instance_type_1, auto_instance_id_1,
           auto_service_type_1, protocol, server_port, byte_tx, byte_rx, byte, packet_tx, packet_rx, new_flow,
           closed_flow, rtt_sum, rtt_count, retrans, tcp_establish_fail)
        SELECT {start} + intDiv(number, {edges}) * 60 AS time, 1 AS is_ipv4, {side('0', client)}, {side('1', server)},
               6 AS protocol, 8000 + number % 20 AS server_port, toUInt64({bytes_}) AS byte_tx,
               toUInt64({bytes_} / 3) AS byte_rx, byte_tx + byte_rx AS byte, 1 + intDiv(byte_tx, 1400) AS packet_tx,
               1 + intDiv(byte_rx, 1400) AS packet_rx, 1 + number % 7 AS new_flow, new_flow AS closed_flow,
               (200 + number % 4000) * new_flow AS rtt_sum, new_flow AS rtt_count, number % 3 AS retrans,
               0 AS tcp_establish_fail
        FROM numbers({edges * minutes})""")
    # The network table from the same traffic: a row per side of each edge and minute (role 0 client, 1 server),
    # with that side's tags and tx/rx from its own point of view.
    for side, tx, rx in (("0", "tx", "rx"), ("1", "rx", "tx")) if sides else ():
        q(f"""INSERT INTO flow_metrics.`network.1m_local` (time, role, is_ipv4, ip4, pod_id, pod_ns_id, pod_node_id, protocol,
              server_port, byte_tx, byte_rx, byte, packet_tx, packet_rx, packet, new_flow)
            SELECT time, {side}, is_ipv4, ip4_{side}, pod_id_{side}, pod_ns_id_{side}, pod_node_id_{side}, protocol, server_port,
                   byte_{tx}, byte_{rx}, byte, packet_{tx}, packet_{rx}, packet_tx + packet_rx, new_flow
            FROM flow_metrics.`network_map.1m_local`""")
    q(f"INSERT INTO deepflow.ch_pod (id, name, pod_ns_id, pod_node_id) SELECT number + 1, concat('pod-', toString(number + 1)), "
      f"1 + (number + 1) % {NAMESPACES}, 1 + (number + 1) % {NODES} FROM numbers({PODS})")
    q(f"INSERT INTO deepflow.ch_pod_ns (id, name) SELECT number + 1, concat('ns-', toString(number + 1)) FROM numbers({NAMESPACES})")
    q(f"INSERT INTO deepflow.ch_pod_node (id, name) SELECT number + 1, concat('node-', toString(number + 1)) FROM numbers({NODES})")
    q(f"INSERT INTO deepflow.ch_device (devicetype, deviceid, name) SELECT 10, number + 1, concat('pod-', toString(number + 1)) "
      f"FROM numbers({PODS})")


def timed(call, wall: list, cpu: list):
    """Runs call, appending its wall time and the CPU time of this process (chdb's threads are in it) in ms."""
    used = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    c0, t0 = used(), time.perf_counter()
    out = call()
    wall.append((time.perf_counter() - t0) * 1000)
    cpu.append((used() - c0) * 1000)
    return out


def empty_call(q) -> None:
    """A statement that reads nothing, for what every chdb call costs on its own (clickhouse-local re-reads its
    metadata per call; a ClickHouse server does not)."""
    empty, empty_cpu = [], []
    for _ in range(RUNS):
        timed(lambda: q("SELECT 1", "JSONCompact"), empty, empty_cpu)
    print(f"  an empty statement: {statistics.median(empty):.0f} ms ({statistics.median(empty_cpu):.0f} ms of CPU) per chdb call")


def run_each(q, statements: list) -> list:
    """Each statement in its own call, as the querier sends it; the first run also loads the dictionaries."""
    answers = []
    for label, statement in statements:
        timings, cpu, answer = [], [], None
        for _ in range(RUNS + 1):
            answer = json.loads(timed(lambda: q(statement, "JSONCompact"), timings, cpu))
        answers.append(answer["data"])
        print(f"  {label}: first {timings[0]:.0f} ms, then median {statistics.median(timings[1:]):.0f} ms "
              f"({statistics.median(cpu[1:]):.0f} ms of CPU) over {RUNS} runs; {len(answer['data'])} rows")
    return answers


def an_hour(ddl: str) -> None:
    sql, start, end = recorded_statement()
    statements = [
        (f"edge statement ({RECORDING})", sql),
        (f"VM talkers, all namespaces ({ALL_VMS})", recorded(ALL_VMS)),
        (f"VM talkers, one namespace listing {MOST} addresses as IN lists ({NAMESPACE_VMS})",
         listing_in([pod_address(1 + pod) for pod in range(MOST)])),
        (f"VM talkers, one namespace listing {LISTED_ADDRESSES} addresses as IN lists ({NAMESPACE_VMS})", listing_in(LISTED)),
        (f"the same as an OR chain on the ip tag, one term per address ({OR_CHAIN})", listing_or_chain()),
    ]
    with deepflow_schema.deepflow_session("hnm-ch-bench-", ddl, strip_ttl=True) as q:
        began = time.perf_counter()
        # The recorded range is 61 minutes, both ends inclusive: seed its first 60.
        seed(q, start)
        rows = int(q("SELECT count() FROM flow_metrics.`network_map.1m`").strip())
        sides = int(q("SELECT count() FROM flow_metrics.`network.1m`").strip())
        pairs = int(q("SELECT uniqExact(pod_id_0, pod_id_1, server_port) FROM flow_metrics.`network_map.1m`").strip())
        seeded = time.perf_counter() - began
        version = q("SELECT version()").strip()
        print(f"ClickHouse {version} (chdb), DeepFlow v7.1.8 schema: {rows:,} network_map.1m rows and {sides:,} network.1m "
              f"rows ({pairs:,} edges x {MINUTES} minutes, seeded in {seeded:.1f} s), range {end - start} s")
        empty_call(q)
        answers = run_each(q, statements)
        # The two forms of the namespace's address list must select the same traffic.
        same = "the same rows" if answers[-1] == answers[-2] else "DIFFERENT rows"
        print(f"  the IN lists and the OR chain answer with {same}")


def a_day(ddl: str) -> None:
    hourly, start, end = recorded_statement(DAY_HOURLY)
    minute_rows, *_ = recorded_statement(DAY_MINUTE_ROWS)
    with deepflow_schema.deepflow_session("hnm-ch-bench-day-", ddl, strip_ttl=True) as q:
        began = time.perf_counter()
        # The recorded range is a day from the top of an hour, both ends inclusive: seed its 1,440 minutes.
        seed(q, start, DAY_EDGES, DAY_MINUTES, sides=False)
        rows = int(q("SELECT count() FROM flow_metrics.`network_map.1m`").strip())
        rollups = int(q("SELECT count() FROM flow_metrics.`network_map.1h`").strip())
        seeded = time.perf_counter() - began
        print(f"A day: {rows:,} network_map.1m rows ({DAY_EDGES:,} edges x {DAY_MINUTES:,} minutes), {rollups:,} network_map.1h "
              f"rows (seeded in {seeded:.1f} s), range {end - start} s")
        empty_call(q)
        answers = run_each(q, [
            (f"edge statement on the hourly rollups, as sent ({DAY_HOURLY})", hourly),
            (f"the same on the minute rows ({DAY_MINUTE_ROWS})", minute_rows),
        ])
        same = "the same rows" if answers[0] == answers[1] else "DIFFERENT rows"
        print(f"  the hourly rollups and the minute rows answer with {same}")


def main() -> int:
    ddl = os.path.join(CONTRACT, "fixtures", "deepflow-v7.1.8-ddl.json")
    if "--day-only" not in sys.argv:
        an_hour(ddl)
    a_day(ddl)
    return 0


if __name__ == "__main__":
    sys.exit(main())
