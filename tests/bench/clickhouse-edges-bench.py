"""What DeepFlow's own database takes for the Traffic Flows edge statement at the scale benchmark's size.

    .tools/venv/bin/python tests/bench/clickhouse-edges-bench.py      (scripts/bench.sh runs it)

The scale benchmark's querier is the sandbox's stand-in (sandbox/backend/querier.ts), which computes every minute of
every edge in JavaScript. This runs the querier's real translation of the page's edge statement (recorded from
DeepFlow v7.1.8's translator: tests/contract/fixtures/deepflow-v7.1.8-translations.json,
`flows/edges/range=1h/ns=-`) on ClickHouse 23.10 (chdb) over DeepFlow's real schema (tests/contract/clickhouse),
with the scale seed's shape written the way the ingester writes it: 50,000 edges between 5,000 pods in 50
namespaces on 100 nodes, one `network_map.1m` row per edge and minute for an hour (3,000,000 rows), and the
controller's pod, namespace, node and device names behind the flow_tag dictionaries. Prints figures only.
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = os.path.join(HERE, "..", "contract")
sys.path.insert(0, os.path.join(CONTRACT, "clickhouse"))
import deepflow_schema  # noqa: E402

EDGES, PODS, NAMESPACES, NODES, MINUTES, RUNS = 50_000, 5_000, 50, 100, 60, 5
RECORDING = "flows/edges/range=1h/ns=-"


def recorded_statement() -> tuple[str, int, int]:
    """The translation, and the range its WHERE names (the recording's fixed clock)."""
    with open(os.path.join(CONTRACT, "fixtures", "deepflow-v7.1.8-translations.json")) as f:
        recording = next(r for r in json.load(f)["recordings"] if r["id"] == RECORDING)
    (sql,) = recording["clickhouse_sql"]
    start = int(sql.split("`time` >= ")[1].split(" ")[0])
    end = int(sql.split("`time` <= ")[1].split(" ")[0])
    return sql, start, end


def seed(q, start: int) -> None:
    # Each edge: a client and a server pod (ids 1..PODS), TCP to one of 20 ports; pods are spread over namespaces
    # and nodes by id. The metrics vary by minute as the stand-in's do (a few KiB to a few MiB per minute).
    side = lambda s, pod: (  # noqa: E731
        f"toIPv4(167772160 + {pod}) AS ip4_{s}, {pod} AS pod_id_{s}, 1 + {pod} % {NAMESPACES} AS pod_ns_id_{s}, "
        f"1 + {pod} % {NODES} AS pod_node_id_{s}, 10 AS auto_instance_type_{s}, {pod} AS auto_instance_id_{s}, "
        f"10 AS auto_service_type_{s}")
    client = f"(1 + (number % {EDGES}) % {PODS})"
    # Ten servers per client pod: 50,000 distinct pairs, so the statement has as many groups as the seed has edges.
    server = f"(1 + ((number % {EDGES}) * 7919 + intDiv(number % {EDGES}, {PODS}) * 131 + 13) % {PODS})"
    bytes_ = f"(1000 + cityHash64(number % {EDGES}) % 3000000) * (6 + intDiv(number, {EDGES}) % 5) / 10"
    q(f"""INSERT INTO flow_metrics.`network_map.1m_local`
          (time, is_ipv4, ip4_0, pod_id_0, pod_ns_id_0, pod_node_id_0, auto_instance_type_0, auto_instance_id_0,
           auto_service_type_0, ip4_1, pod_id_1, pod_ns_id_1, pod_node_id_1, auto_instance_type_1, auto_instance_id_1,
           auto_service_type_1, protocol, server_port, byte_tx, byte_rx, byte, packet_tx, packet_rx, new_flow,
           closed_flow, rtt_sum, rtt_count, retrans, tcp_establish_fail)
        SELECT {start} + intDiv(number, {EDGES}) * 60 AS time, 1 AS is_ipv4, {side('0', client)}, {side('1', server)},
               6 AS protocol, 8000 + number % 20 AS server_port, toUInt64({bytes_}) AS byte_tx,
               toUInt64({bytes_} / 3) AS byte_rx, byte_tx + byte_rx AS byte, 1 + intDiv(byte_tx, 1400) AS packet_tx,
               1 + intDiv(byte_rx, 1400) AS packet_rx, 1 + number % 7 AS new_flow, new_flow AS closed_flow,
               (200 + number % 4000) * new_flow AS rtt_sum, new_flow AS rtt_count, number % 3 AS retrans,
               0 AS tcp_establish_fail
        FROM numbers({EDGES * MINUTES})""")
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


def main() -> int:
    sql, start, end = recorded_statement()
    ddl = os.path.join(CONTRACT, "fixtures", "deepflow-v7.1.8-ddl.json")
    with deepflow_schema.deepflow_session("hnm-ch-bench-", ddl, strip_ttl=True) as q:
        began = time.perf_counter()
        # The recorded range is 61 minutes, both ends inclusive: seed its first 60.
        seed(q, start)
        rows = int(q("SELECT count() FROM flow_metrics.`network_map.1m`").strip())
        pairs = int(q("SELECT uniqExact(pod_id_0, pod_id_1, server_port) FROM flow_metrics.`network_map.1m`").strip())
        seeded = time.perf_counter() - began
        # Each statement in its own call, as the querier sends it; the first also loads the dictionaries.
        timings, cpu, answer = [], [], None
        for _ in range(RUNS + 1):
            answer = json.loads(timed(lambda: q(sql, "JSONCompact"), timings, cpu))
        # A statement that reads nothing, for what every chdb call costs on its own (clickhouse-local re-reads its
        # metadata per call; a ClickHouse server does not).
        empty, empty_cpu = [], []
        for _ in range(RUNS):
            timed(lambda: q("SELECT 1", "JSONCompact"), empty, empty_cpu)
        version = q("SELECT version()").strip()
        print(f"ClickHouse {version} (chdb), DeepFlow v7.1.8 schema: {rows:,} network_map.1m rows "
              f"({pairs:,} edges x {MINUTES} minutes, seeded in {seeded:.1f} s), range {end - start} s")
        print(f"  Traffic Flows edge statement ({RECORDING}): first {timings[0]:.0f} ms (dictionaries load), "
              f"then median {statistics.median(timings[1:]):.0f} ms ({statistics.median(cpu[1:]):.0f} ms of CPU) over {RUNS} runs; "
              f"{len(answer['data'])} rows; an empty statement costs {statistics.median(empty):.0f} ms "
              f"({statistics.median(empty_cpu):.0f} ms of CPU) per chdb call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
