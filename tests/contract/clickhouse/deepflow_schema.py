"""DeepFlow v7.1.8's real ClickHouse schema, created on chdb (embedded ClickHouse 23.10).

The DDL comes from tests/contract/fixtures/deepflow-v7.1.8-ddl.json: the exact statements DeepFlow's own Go
code generates (ingester: server/libs/ckdb/table.go, server/libs/flow-metrics/tag.go,
server/ingester/flow_log/dbwriter/flowlog_writer.go, in the order of server/ingester/pkg/ckwriter/ckwriter.go
initTable; controller: server/controller/tagrecorder/dictionary.go fillCreateSQL), recorded with this
project's chart settings (ingester.ckdb.time-zone UTC, retention hours of values.yaml, MySQL hnm-mysql:3306).

Needs chdb 1.4.1 (`pip install chdb==1.4.1`: bundles ClickHouse 23.10.1.1; the chart runs 23.10.5.20).

What differs from the real deployment, and why (everything else runs verbatim):

1. chdb environment (no SQL change). The tables say `SETTINGS storage_policy = 'df_storage'` and the global
   tables are `Distributed('df_cluster', ...)` (server/libs/ckdb/ckdb.go DF_STORAGE_POLICY / DF_CLUSTER, used by
   server/libs/ckdb/table.go makeLocalTableCreateSQL / makeGlobalTableCreateSQL). The chart's ClickHouse defines
   both (charts/harvester-network-monitoring-stack/templates/clickhouse/configmap.yaml, deepflow-config.xml) and
   the query-size profile (deepflow-users.xml). chdb 1.x runs clickhouse-local, which reads ./config.xml from the
   process working directory on every query, so `prepare_chdb_environment` writes an equivalent config.xml +
   users.xml (one shard on localhost, so Distributed reads/writes stay in-process) and chdirs there. The process
   must stay in that directory while it queries (`chdb_environment_dir(session)` gives it back).
2. Transform `dictionary_source_mysql_to_local_clickhouse`: the flow_tag dictionaries read DeepFlow's MySQL
   (server/controller/tagrecorder/const_sql.go SQL_SOURCE_MYSQL, filled in dictionary.go makeSourceClause). There
   is no MySQL here, so the source becomes the same DB/TABLE in ClickHouse: `deepflow.ch_pod` etc., tables
   created by `create_schema` with exactly the dictionary's columns plus `updated_at` (the UPDATE_FIELD and
   INVALIDATE_QUERY of the recorded source are kept). Seed tag data by inserting into `deepflow.ch_*`.
3. Skip `live_view_not_enabled_in_chart`: for ClickHouse < 24 the controller also issues CREATE LIVE VIEW
   flow_tag.app_label_live_view / target_label_live_view (dictionary.go update, controller/common/const.go
   CLICK_HOUSE_VERSION = "24"). Live views need `allow_experimental_live_view`, which neither the chart's
   deepflow-users.xml nor the stock image enables, so that statement fails (Code 344) on the real deployment too
   and the objects do not exist there. They are skipped unless `include_live_views=True` (then created with the
   setting enabled). They only serve Prometheus-label queries.

4. Optional transform `strip_ttl_for_fixed_clock_fixtures` (create_schema(..., strip_ttl=True); off by default):
   the MergeTree tables carry `TTL time + toIntervalHour(N)` (server/libs/ckdb/table.go makeLocalTableCreateSQL /
   makeTTLString; N = retention hours: 168 for 1m, 24 for 1s, 72 for l4_flow_log, 720 for the 1h/1d rollups).
   Rows older than that relative to the machine clock are expired, and chdb then shows them only sometimes
   (observed: the same SELECT returns 0, 1 or all expired rows on successive calls). Fixtures pinned to a fixed
   date (tests/contract/scenario.ts CONTRACT_NOW_SECONDS) need the TTL removed; fixtures stamped near now() do not.

Every transform/skip checks its expected pattern and raises SchemaDriftError when it is missing, so a
re-recorded DDL that changed shape fails loudly instead of being silently mis-adapted.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Dict, Iterator, List, Optional

# Database that stands in for DeepFlow's MySQL metadb: the recorded dictionary SOURCE says `DB deepflow`
# (controller.mysql.database in the chart's server config).
METADB_DATABASE = "deepflow"


class SchemaDriftError(RuntimeError):
    """The recorded DDL no longer has the shape an adaptation expects: re-check the adaptation."""


# --- 1. chdb environment ------------------------------------------------------------------------------------------

# Mirrors charts/harvester-network-monitoring-stack/templates/clickhouse/configmap.yaml (deepflow-config.xml):
# storage policy df_storage on one disk, cluster df_cluster with one shard. Host is localhost and port equals
# tcp_port so ClickHouse treats the shard as local (clickhouse-local opens no socket; with the default
# prefer_localhost_replica=1 the Distributed engine reads and writes the local table in-process).
_CONFIG_XML = """<clickhouse>
  <tcp_port>9000</tcp_port>
  <users_config>{users_xml}</users_config>
  <storage_configuration>
    <disks>
      <path_0><path>{disk_path}/</path></path_0>
    </disks>
    <policies>
      <df_storage><volumes><vol_path_0><disk>path_0</disk></vol_path_0></volumes></df_storage>
    </policies>
  </storage_configuration>
  <remote_servers>
    <df_cluster>
      <shard><replica><host>localhost</host><port>9000</port></replica></shard>
    </df_cluster>
  </remote_servers>
</clickhouse>
"""

# Mirrors deepflow-users.xml of the same configmap (query-size limits from DeepFlow's own chart); without it a
# large translated statement hits ClickHouse's default max_query_size / max_ast_elements.
_USERS_XML = """<clickhouse>
  <profiles>
    <default>
      <max_query_size>10737418240</max_query_size>
      <max_ast_elements>2000000</max_ast_elements>
      <max_expanded_ast_elements>2000000</max_expanded_ast_elements>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <profile>default</profile>
      <quota>default</quota>
      <networks><ip>::/0</ip></networks>
    </default>
  </users>
  <quotas><default></default></quotas>
</clickhouse>
"""

_ENV_DIRNAME = "hnm_chdb_env"


def _session_path(session) -> str:
    path = getattr(session, "_path", None)
    if not path:
        raise TypeError("expected a chdb.session.Session created with a path (chdb 1.x)")
    return os.path.abspath(path)


def chdb_environment_dir(session) -> str:
    """Directory holding config.xml for this session; the process must have it as working directory."""
    return os.path.join(_session_path(session), _ENV_DIRNAME)


def prepare_chdb_environment(session) -> str:
    """Write config.xml/users.xml for `session` and chdir there (see module docstring, item 1)."""
    env_dir = chdb_environment_dir(session)
    disk_path = os.path.join(env_dir, "clickhouse_storage")
    os.makedirs(disk_path, exist_ok=True)
    users_xml = os.path.join(env_dir, "users.xml")
    with open(users_xml, "w", encoding="utf-8") as f:
        f.write(_USERS_XML)
    with open(os.path.join(env_dir, "config.xml"), "w", encoding="utf-8") as f:
        f.write(_CONFIG_XML.format(users_xml=users_xml, disk_path=disk_path))
    os.chdir(env_dir)
    return env_dir


# --- 2./3. statement transforms -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Transform:
    name: str
    kinds: frozenset
    pattern: "re.Pattern[str]"
    replacement: str
    why: str


@dataclass(frozen=True)
class Skip:
    name: str
    kinds: frozenset
    pattern: "re.Pattern[str]"
    why: str


TRANSFORMS: List[Transform] = [
    Transform(
        name="dictionary_source_mysql_to_local_clickhouse",
        kinds=frozenset({"dictionary"}),
        # SQL_SOURCE_MYSQL in server/controller/tagrecorder/const_sql.go:
        # "SOURCE(%s(%sPORT %d USER '%s' PASSWORD '%s' %sDB %s TABLE %s UPDATE_FIELD 'updated_at'
        #  INVALIDATE_QUERY 'select max(updated_at) from %s'))" with %s = MYSQL and the REPLICA clause of
        # server/controller/db/metadb/common/ch_source.go GetClickhouseSource.
        pattern=re.compile(
            r"SOURCE\(MYSQL\(PORT \d+ USER '[^']*' PASSWORD '[^']*' REPLICA \(HOST '[^']*' PRIORITY 1\) "
            r"(DB \w+ TABLE (\w+) UPDATE_FIELD 'updated_at' INVALIDATE_QUERY 'select max\(updated_at\) from \2')\)\)"
        ),
        replacement=r"SOURCE(CLICKHOUSE(\1))",
        why="no MySQL in the test: read the same DB/TABLE from local ClickHouse tables (created by create_schema)",
    ),
]

# Only with create_schema(..., strip_ttl=True): see module docstring, item 4.
STRIP_TTL = Transform(
    name="strip_ttl_for_fixed_clock_fixtures",
    kinds=frozenset({"table"}),
    # "\nTTL %s +  toIntervalHour(%d)\n" (makeLocalTableCreateSQL, two spaces) and "TTL %s + toIntervalHour(%d)"
    # (makeTTLString for the _agg tables). A cold-storage "..., time + toIntervalHour(n) TO DISK 'x'" tail would
    # not match the line end and fails loudly.
    pattern=re.compile(r"\n[ \t]*TTL \w+ \+\s+toIntervalHour\(\d+\)(?=\n)"),
    replacement="",
    why="expired rows flicker in chdb; fixed-date fixtures would be older than the retention",
)

SKIPS: List[Skip] = [
    Skip(
        name="live_view_not_enabled_in_chart",
        kinds=frozenset({"live_view"}),
        # CREATE_APP_LABEL_LIVE_VIEW_SQL / CREATE_TARGET_LABEL_LIVE_VIEW_SQL, server/controller/tagrecorder/const.go
        pattern=re.compile(r"^CREATE LIVE VIEW \w+\.\w+_live_view WITH PERIODIC REFRESH \d+\n"),
        why="allow_experimental_live_view is off in the chart's ClickHouse, so the controller's CREATE fails there too",
    ),
]

# Kinds that run verbatim (in the chdb environment of item 1). A new kind in a re-recorded DDL is an error.
VERBATIM_KINDS = frozenset({"database", "table", "distributed", "materialized_view", "view", "alter"})


def _require(pattern: "re.Pattern[str]", sql: str, name: str, obj: str) -> None:
    if not pattern.search(sql):
        raise SchemaDriftError(f"{name}: expected pattern {pattern.pattern!r} not found in DDL of {obj}")


def adapt_statement(stmt: Dict[str, str], include_live_views: bool = False, strip_ttl: bool = False) -> Optional[str]:
    """The SQL to run on chdb for one recorded statement, or None when it is skipped."""
    kind, sql, obj = stmt["kind"], stmt["sql"], stmt["object"]
    for skip in SKIPS:
        if kind in skip.kinds:
            _require(skip.pattern, sql, skip.name, obj)
            if include_live_views:
                return "SET allow_experimental_live_view = 1;\n" + sql
            return None
    matched = False
    for t in TRANSFORMS + ([STRIP_TTL] if strip_ttl else []):
        if kind in t.kinds:
            _require(t.pattern, sql, t.name, obj)
            sql, n = t.pattern.subn(t.replacement, sql)
            if n != 1:
                raise SchemaDriftError(f"{t.name}: expected exactly one match in {obj}, got {n}")
            matched = True
    if not matched and kind not in VERBATIM_KINDS:
        raise SchemaDriftError(f"no adaptation rule for statement kind {kind!r} ({obj})")
    return sql


# CREATE_*_DICTIONARY_SQL layout (server/controller/tagrecorder/const_sql.go / const.go):
# "CREATE DICTIONARY db.name\n(\n    `col` Type,\n ...\n)\nPRIMARY KEY a, b\nSOURCE(...)"
_DICT_RE = re.compile(
    r"^CREATE DICTIONARY (?P<db>\w+)\.(?P<name>\w+)\n\(\n(?P<cols>.*?)\n\)\nPRIMARY KEY (?P<pk>[^\n]+)\n"
    r"SOURCE\(CLICKHOUSE\(DB (?P<src_db>\w+) TABLE (?P<src_table>\w+) ",
    re.S,
)
_COL_RE = re.compile(r"^\s*`(?P<name>[^`]+)` (?P<type>.+?),?$")


@dataclass(frozen=True)
class DictionarySource:
    dictionary: str          # flow_tag.pod_map
    source_table: str        # deepflow.ch_pod
    columns: List[tuple]     # [(name, type)] exactly as in the dictionary structure
    primary_key: List[str]

    def create_sql(self) -> str:
        cols = ",\n".join(f"    `{n}` {t}" for n, t in self.columns)
        return (
            f"CREATE TABLE IF NOT EXISTS {self.source_table}\n(\n{cols},\n"
            "    `updated_at` DateTime DEFAULT now()\n)\n"
            f"ENGINE = MergeTree ORDER BY ({', '.join('`%s`' % k for k in self.primary_key)})"
        )


def dictionary_source(adapted_sql: str, obj: str) -> DictionarySource:
    m = _DICT_RE.match(adapted_sql)
    if not m:
        raise SchemaDriftError(f"dictionary DDL of {obj} does not have the CREATE_*_DICTIONARY_SQL layout")
    cols = []
    for line in m.group("cols").split("\n"):
        cm = _COL_RE.match(line)
        if not cm:
            raise SchemaDriftError(f"unparsed dictionary column line in {obj}: {line!r}")
        cols.append((cm.group("name"), cm.group("type")))
    pk = [k.strip().strip("`") for k in m.group("pk").split(",")]
    return DictionarySource(
        dictionary=f"{m.group('db')}.{m.group('name')}",
        source_table=f"{m.group('src_db')}.{m.group('src_table')}",
        columns=cols,
        primary_key=pk,
    )


# --- entry point --------------------------------------------------------------------------------------------------

@dataclass
class SchemaReport:
    env_dir: str
    executed: List[str]
    skipped: List[str]
    dictionary_sources: Dict[str, DictionarySource]


def create_schema(session, ddl_json_path: str, include_live_views: bool = False, strip_ttl: bool = False,
                  batch: bool = True,
                  query: Optional[Callable[[str], object]] = None) -> SchemaReport:
    """Create DeepFlow's schema in a fresh chdb session (chdb.session.Session(path)).

    batch=True sends all statements as one multi-statement query (chdb 1.x re-reads every table's metadata on
    each call, ~0.5 s per call once the schema exists, so one call per statement takes over a minute);
    batch=False runs them one by one and names the statement that failed.
    Leaves the process in chdb_environment_dir(session) (see module docstring, item 1).
    """
    with open(ddl_json_path, encoding="utf-8") as f:
        ddl = json.load(f)
    statements = ddl["statements"]
    run = query or (lambda sql: session.query(sql))

    env_dir = prepare_chdb_environment(session)
    report = SchemaReport(env_dir=env_dir, executed=[], skipped=[], dictionary_sources={})
    plan = [(METADB_DATABASE, "database", f"CREATE DATABASE IF NOT EXISTS {METADB_DATABASE}")]
    for stmt in statements:
        sql = adapt_statement(stmt, include_live_views=include_live_views, strip_ttl=strip_ttl)
        if sql is None:
            report.skipped.append(stmt["object"])
            continue
        if stmt["kind"] == "dictionary":
            src = dictionary_source(sql, stmt["object"])
            if not src.source_table.startswith(METADB_DATABASE + "."):
                raise SchemaDriftError(f"{stmt['object']} reads {src.source_table}, expected DB {METADB_DATABASE}")
            plan.append((src.source_table, "metadb_source_table", src.create_sql()))
            report.dictionary_sources[src.dictionary] = src
        plan.append((stmt["object"], stmt["kind"], sql))

    if batch:
        try:
            run(";\n".join(sql.strip().rstrip(";") for _, _, sql in plan))
        except Exception as e:  # chdb raises ChdbError with ClickHouse's message
            raise RuntimeError(f"DeepFlow DDL failed on chdb (rerun with batch=False to name the statement): {e}") from e
    else:
        for obj, kind, sql in plan:
            try:
                run(sql)
            except Exception as e:
                raise RuntimeError(f"DeepFlow DDL for {obj} ({kind}) failed on chdb: {e}") from e
    report.executed = [obj for obj, kind, _ in plan if kind != "metadb_source_table"]

    # The Distributed tables only work while the process sits in env_dir; check that now, loudly.
    run("SELECT count() FROM flow_metrics.`network_map.1m`")
    return report


@contextmanager
def deepflow_session(prefix: str, ddl_json_path: str, strip_ttl: bool = False) -> Iterator[Callable[..., str]]:
    """A fresh chdb session in a temporary directory with DeepFlow's schema, as `q(sql, fmt="TSVRaw") -> str`;
    on exit the working directory is restored and the session's files removed."""
    from chdb.session import Session

    cwd = os.getcwd()
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        session = Session(os.path.join(tmp, "data"))

        def q(sql: str, fmt: str = "TSVRaw") -> str:
            return str(session.query(sql, fmt))

        create_schema(session, os.path.abspath(ddl_json_path), strip_ttl=strip_ttl)
        yield q
    finally:
        os.chdir(cwd)
        shutil.rmtree(tmp, ignore_errors=True)
