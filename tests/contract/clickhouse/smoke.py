"""Smoke test: DeepFlow v7.1.8's recorded schema on chdb, one metrics row, one pod, a dictGet over them.

    pip install chdb==1.4.1
    python tests/contract/clickhouse/smoke.py
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile

from chdb.session import Session

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import deepflow_schema  # noqa: E402

DDL_JSON = os.path.join(HERE, "..", "fixtures", "deepflow-v7.1.8-ddl.json")


def main() -> int:
    ddl_json = os.path.abspath(DDL_JSON)
    cwd = os.getcwd()
    tmp = tempfile.mkdtemp(prefix="hnm-chdb-")
    try:
        session = Session(os.path.join(tmp, "data"))
        q = lambda sql: str(session.query(sql, "TSVRaw")).strip()  # noqa: E731

        version = q("SELECT version()")
        report = deepflow_schema.create_schema(session, ddl_json)
        print(f"ClickHouse {version}: {len(report.executed)} DDL statements applied, skipped {report.skipped}")

        # The ingester writes the local table (libs/ckdb/table.go makePrepareTableInsertSQL uses LocalName).
        q("""INSERT INTO flow_metrics.`network_map.1m_local`
               (time, ip4_0, ip4_1, is_ipv4, l3_epc_id_0, l3_epc_id_1, pod_id_0, pod_ns_id_0, protocol, server_port,
                signal_source, byte_tx, byte_rx, byte, packet)
             VALUES (now(), '10.52.1.20', '10.53.0.10', 1, 3, 3, 11, 2, 6, 5432, 0, 1000, 2000, 3000, 10)""")
        # The controller's tagrecorder fills MySQL deepflow.ch_pod; here its ClickHouse stand-in.
        q("""INSERT INTO deepflow.ch_pod (id, name, icon_id, pod_cluster_id, pod_ns_id, pod_node_id, pod_service_id,
                                          pod_group_id, team_id, domain_id, sub_domain_id)
             VALUES (11, 'web-0', 0, 1, 2, 1, 0, 5, 1, 1, 0)""")

        row = q("""SELECT dictGet('flow_tag.pod_map', 'name', toUInt64(pod_id_0)) AS pod_0,
                          IPv4NumToString(ip4_0), toString(ip4_1), sum(byte), toTypeName(time)
                   FROM flow_metrics.`network_map.1m`
                   WHERE pod_id_0 = 11
                   GROUP BY pod_0, ip4_0, ip4_1, time""")
        print("network_map.1m + pod_map:", row)
        assert row.split("\t")[:4] == ["web-0", "10.52.1.20", "10.53.0.10", "3000"], row
        assert row.split("\t")[4] == "DateTime('UTC')", row  # ingester.ckdb.time-zone UTC -> ALTER ... MODIFY COLUMN

        # The 1h rollup (materialized view of MakeAggrMVTableCreateSQL1H) is fed by the same insert.
        hour = q("SELECT sum(byte), sum(packet) FROM flow_metrics.`network_map.1h`")
        print("network_map.1h:", hour)
        assert hour == "3000\t10", hour

        # Fixed-clock fixtures (tests/contract/scenario.ts CONTRACT_NOW_SECONDS = 2026-01-01T00:00:00Z) are older
        # than the retention TTL; with strip_ttl=True they stay visible on every call.
        session2 = Session(os.path.join(tmp, "data-fixed-clock"))
        deepflow_schema.create_schema(session2, ddl_json, strip_ttl=True)
        q2 = lambda sql: str(session2.query(sql, "TSVRaw")).strip()  # noqa: E731
        q2("INSERT INTO flow_metrics.`network_map.1m_local` (time, pod_id_0, byte) VALUES (1767225600, 11, 7)")
        seen = [q2("SELECT count(), sum(byte) FROM flow_metrics.`network_map.1m` WHERE time = 1767225600") for _ in range(3)]
        hour2 = q2("SELECT sum(byte) FROM flow_metrics.`network_map.1h` WHERE time = 1767225600")
        print("fixed-clock row, 3 reads:", seen, "1h:", hour2)
        assert seen == ["1\t7"] * 3 and hour2 == "7", (seen, hour2)
    finally:
        os.chdir(cwd)
        shutil.rmtree(tmp, ignore_errors=True)
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
