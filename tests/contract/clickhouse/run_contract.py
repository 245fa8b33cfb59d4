"""Runs recorded DeepFlow translations on ClickHouse 23.10 (chdb) over DeepFlow v7.1.8's real schema.

    .tools/venv/bin/python tests/contract/clickhouse/run_contract.py < request.json > answer.json

request: {"now": <unix s>, "endpoints": {name: {ip, pod?, namespace?, node?, service?}},
          "flows": [{client, server, port, protocol, bytesTx, bytesRx, newFlows}],
          "agentStats": [{ago, table, host, metrics: {name: value}}] (optional),
          "agents": [{id, name}] (optional: registered agents, the controller's ch_vtap rows behind flow_tag.vtap_map),
          "queries": [{"id": ..., "db": ..., "sql": [<ClickHouse SQL the querier sends>, ...]}],
          "probes": [the same, run one by one: statements expected to fail]}
answer:  {"version": "<ClickHouse version>", "results": {id: {"ok": true, "meta": [{name, type}], "data": [[...]]}
                                                          | {"ok": false, "error": "..."}}}

The seed writes what DeepFlow's ingester and controller would write for the scenario (tests/contract/scenario.ts):
flow_metrics `network_map.1m` one row per flow (client `_0`, server `_1`), `network.1m` one row per endpoint and
flow (role 0 client, 1 server, each with its own tags and its own tx/rx), `l4_flow_log` one row per flow, and the
flow_tag dictionary sources (deepflow.ch_pod, ch_pod_ns, ch_pod_node, ch_device) for the tagged endpoints, and the
agents' own statistics in deepflow_tenant.deepflow_collector (server/ingester/ext_metrics/dbwriter/ext_metrics.go:
virtual_table_name, tag_names/tag_values with the agent's `host`, metrics_float_names/metrics_float_values).
Tag codes follow DeepFlow v7.1.8 server/querier/engine/clickhouse/tag/const.go: auto_instance_type 10 pod,
11 pod_service, 14 pod_node, 255 ip (an address DeepFlow knows no resource for: our VMs, #3244), 0 internet.
Every statement of a query runs; the last one's rows are the answer (earlier ones are the querier's own look-ups).
"""
from __future__ import annotations

import ipaddress
import json
import os
import sys
import tempfile
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import deepflow_schema  # noqa: E402

DDL_JSON = os.path.join(HERE, "..", "fixtures", "deepflow-v7.1.8-ddl.json")

POD, POD_SERVICE, POD_NODE, IP, INTERNET = 10, 11, 14, 255, 0
PUBLIC_RANGES = ("203.0.113.0/24", "8.8.8.0/24", "2001:db8::/32")


class Ids:
    """Stable ids per name, as the controller's metadb would assign them."""

    def __init__(self):
        self.maps = {}

    def of(self, kind: str, name: str) -> int:
        table = self.maps.setdefault(kind, {})
        return table.setdefault(name, len(table) + 1)


def side_tags(endpoint: dict, ids: Ids, suffix: str) -> dict:
    ip = ipaddress.ip_address(endpoint["ip"])
    tags = {"is_ipv4": 1 if ip.version == 4 else 0}
    tags[f"ip4{suffix}" if ip.version == 4 else f"ip6{suffix}"] = str(ip)
    if endpoint.get("namespace"):
        tags[f"pod_ns_id{suffix}"] = ids.of("ns", endpoint["namespace"])
    if endpoint.get("node"):
        tags[f"pod_node_id{suffix}"] = ids.of("node", endpoint["node"])
    if endpoint.get("pod"):
        pod = ids.of("pod", endpoint["pod"])
        tags.update({f"pod_id{suffix}": pod, f"auto_instance_type{suffix}": POD, f"auto_instance_id{suffix}": pod})
    elif endpoint.get("service"):
        svc = ids.of("service", endpoint["service"])
        tags.update({f"auto_instance_type{suffix}": POD_SERVICE, f"auto_instance_id{suffix}": svc,
                     f"auto_service_type{suffix}": POD_SERVICE, f"auto_service_id{suffix}": svc})
    elif endpoint.get("node"):
        node = ids.of("node", endpoint["node"])
        tags.update({f"auto_instance_type{suffix}": POD_NODE, f"auto_instance_id{suffix}": node})
    else:
        public = any(ip in ipaddress.ip_network(r) for r in PUBLIC_RANGES)
        tags[f"auto_instance_type{suffix}"] = INTERNET if public else IP
    if f"auto_service_type{suffix}" not in tags:
        tags[f"auto_service_type{suffix}"] = tags[f"auto_instance_type{suffix}"]
    return tags


def metrics(flow: dict, swap: bool = False) -> dict:
    tx, rx = (flow["bytesRx"], flow["bytesTx"]) if swap else (flow["bytesTx"], flow["bytesRx"])
    packets_tx, packets_rx = max(1, tx // 1000), max(1, rx // 1000)
    return {
        "byte_tx": tx, "byte_rx": rx, "byte": tx + rx, "packet_tx": packets_tx, "packet_rx": packets_rx,
        "packet": packets_tx + packets_rx, "new_flow": flow["newFlows"], "closed_flow": flow["newFlows"],
        "rtt_sum": 250 * flow["newFlows"], "rtt_count": flow["newFlows"],
    }


def literal(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return str(int(value))


def insert(q, table: str, rows: list) -> None:
    """One INSERT ... VALUES per set of columns (clickhouse-local takes no inline FORMAT data); others default."""
    groups = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for columns, group in groups.items():
        values = ", ".join("(" + ", ".join(literal(r[c]) for c in columns) + ")" for r in group)
        q(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}")


def seed(q, request: dict) -> None:
    ids = Ids()
    endpoints = request["endpoints"]
    minute = (request["now"] - 600) // 60 * 60
    stamp = datetime.fromtimestamp(minute, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    edges, sides, logs = [], [], []
    for n, flow in enumerate(request["flows"]):
        client, server = endpoints[flow["client"]], endpoints[flow["server"]]
        key = {"time": minute, "protocol": flow["protocol"], "server_port": flow["port"]}
        edges.append({**key, **side_tags(client, ids, "_0"), **side_tags(server, ids, "_1"), **metrics(flow)})
        sides.append({**key, "role": 0, **side_tags(client, ids, ""), **metrics(flow)})
        sides.append({**key, "role": 1, **side_tags(server, ids, ""), **metrics(flow, swap=True)})
        logs.append({**key, **side_tags(client, ids, "_0"), **side_tags(server, ids, "_1"),
                     "_id": n + 1, "flow_id": n + 1, "client_port": 40000 + n, "start_time": stamp, "end_time": stamp,
                     "duration": 1000, "rtt": 250, "close_type": 1, "status": 0,
                     "byte_tx": flow["bytesTx"], "byte_rx": flow["bytesRx"], "packet_tx": 1, "packet_rx": 1})
    # The ingester writes the local tables (server/libs/ckdb/table.go: inserts go to LocalName).
    insert(q, "flow_metrics.`network_map.1m_local`", edges)
    insert(q, "flow_metrics.`network.1m_local`", sides)
    insert(q, "flow_log.`l4_flow_log_local`", logs)
    # The controller's tagrecorder tables behind the flow_tag dictionaries.
    names = {kind: {v: k for k, v in table.items()} for kind, table in ids.maps.items()}
    by_pod = {e["pod"]: e for e in endpoints.values() if e.get("pod")}
    insert(q, "deepflow.ch_pod_ns", [{"id": i, "name": n} for i, n in names.get("ns", {}).items()])
    insert(q, "deepflow.ch_pod_node", [{"id": i, "name": n} for i, n in names.get("node", {}).items()])
    insert(q, "deepflow.ch_pod", [
        {"id": i, "name": n, "pod_ns_id": ids.of("ns", by_pod[n]["namespace"]), "pod_node_id": ids.of("node", by_pod[n]["node"])}
        for i, n in names.get("pod", {}).items()])
    devices = [(POD, "pod"), (POD_SERVICE, "service"), (POD_NODE, "node")]
    insert(q, "deepflow.ch_device", [
        {"devicetype": t, "deviceid": i, "name": n} for t, kind in devices for i, n in names.get(kind, {}).items()])
    # The agents' statistics (one row per sample; metric values are Float64).
    insert(q, "deepflow_tenant.`deepflow_collector_local`", [
        {"time": request["now"] - s["ago"], "virtual_table_name": s["table"], "tag_names": ["host"], "tag_values": [s["host"]],
         "metrics_float_names": list(s["metrics"]), "metrics_float_values": [float(v) for v in s["metrics"].values()]}
        for s in request.get("agentStats", [])])
    # DeepFlow's registered agents (server/controller/db/metadb/model/ch_model.go ChVTap; type 7 = TT_HOST_POD).
    insert(q, "deepflow.ch_vtap", [{"id": a["id"], "name": a["name"], "type": 7, "team_id": 1} for a in request.get("agents", [])])


def run_batch(q, queries: list, out_dir: str) -> dict:
    """All statements in one multi-statement call (clickhouse-local reloads its metadata on every call, about
    0.6 s), each SELECT written to its own file. The querier's translations name every table with its database,
    so they run from clickhouse-local's own database (a `USE` would outlive the call in a chdb session)."""
    parts, files = [], {}
    for n, query in enumerate(queries):
        for k, sql in enumerate(query["sql"]):
            path = os.path.join(out_dir, f"{n}-{k}.json")
            parts.append(f"{sql} INTO OUTFILE '{path}' FORMAT JSONCompact")
            files[(n, k)] = path
    q(";\n".join(parts))
    results = {}
    for n, query in enumerate(queries):
        with open(files[(n, len(query["sql"]) - 1)]) as f:
            answer = json.load(f)
        results[query["id"]] = {"ok": True, "meta": answer["meta"], "data": answer["data"]}
    return results


def run_each(q, queries: list) -> dict:
    results = {}
    for query in queries:
        try:
            for sql in query["sql"][:-1]:
                q(sql)
            answer = json.loads(q(query["sql"][-1], "JSONCompact"))
            results[query["id"]] = {"ok": True, "meta": answer["meta"], "data": answer["data"]}
        except Exception as err:  # ClickHouse's refusal is the result
            results[query["id"]] = {"ok": False, "error": str(err)[:2000]}
    return results


def main() -> int:
    request = json.load(sys.stdin)
    # Fixed-clock scenario: keep rows older than the retention TTL (deepflow_schema.py, transform 4).
    with deepflow_schema.deepflow_session("hnm-contract-", DDL_JSON, strip_ttl=True) as q:
        seed(q, request)
        with tempfile.TemporaryDirectory(prefix="hnm-contract-out-") as out_dir:
            queries = request.get("queries", [])
            try:
                results = run_batch(q, queries, out_dir)
            except Exception as err:  # name the statements that fail
                print(f"batch failed ({str(err)[:300]}); running one by one", file=sys.stderr)
                results = run_each(q, queries)
        results.update(run_each(q, request.get("probes", [])))
        json.dump({"version": q("SELECT version()").strip(), "results": results}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
