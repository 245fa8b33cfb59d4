/**
 * Records the table columns the real kube-apiserver prints for the types whose Steve schema the
 * sandbox gives columns (TABLE_COLUMN_TYPES), into table-columns.json beside this file. Steve asks the
 * API server exactly this way (rancher/steve pkg/resources/common/dynamiccolumns.go: a list with
 * limit=1 and `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) and serves the column
 * definitions as the schema's `attributes.columns`. Run it again when the API server version changes:
 *
 *   scripts/kube-apiserver.sh run -- node --require ./sandbox/register.js sandbox/backend/seed/record-table-columns.ts
 */
import * as fs from 'fs';
import { request } from 'https';
import * as path from 'path';
import { KubeEnv, readKubeEnv } from '../../kube/client';
import { kubePath } from '../kube-source';
import { CLUSTER_TYPES, typeById } from '../types';
import { TABLE_COLUMN_TYPES } from '../steve-columns';

const OUT = path.join(__dirname, 'table-columns.json');
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function getTable(env: KubeEnv, resourcePath: string): Promise<any> {
  const url = new URL(`${ resourcePath }?limit=1`, env.server);

  return new Promise((resolve, reject) => {
    request(url, { ca: fs.readFileSync(env.caFile), headers: { Authorization: `Bearer ${ env.token }`, Accept: TABLE } }, (res) => {
      let text = '';

      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`GET ${ url.pathname } answered ${ res.statusCode }: ${ text }`))));
    }).on('error', reject).end();
  });
}

async function main(): Promise<void> {
  const env = readKubeEnv();
  const recorded: Record<string, unknown> = { kubeVersion: env.version };

  for (const id of TABLE_COLUMN_TYPES) {
    const table = await getTable(env, kubePath(typeById(CLUSTER_TYPES, id)));

    recorded[id] = table.columnDefinitions;
  }
  fs.writeFileSync(OUT, `${ JSON.stringify(recorded, null, 2) }\n`);
  console.log(`recorded the columns of ${ TABLE_COLUMN_TYPES.join(', ') } from kube-apiserver ${ env.version } into ${ path.relative(process.cwd(), OUT) }`);
}

main().catch((e) => {
  console.error(`recording table columns failed: ${ e.message }`);
  process.exit(1);
});
