import {
  peerTableRows, portTableRows, recordHeaderSort, recordSortOf, recordTableDescending, recordTableRows
} from '@pkg/domain/flows/view/view-tables';
import { FLOW_SORT_COLUMNS } from '@pkg/domain/flows/query/queries';
import { EnrichedFlowRecord, PeerSummary } from '@pkg/domain/flows/enrichment/aggregate';

const peer = (key: string, bytesOut: number, bytesIn: number, packetsOut: number, packetsIn: number): PeerSummary => ({
  peer:              {
    key, kind: 'pod', name: key, namespace: 'shop', ip: '10.52.0.1'
  } as PeerSummary['peer'],
  bytesOut,
  bytesIn,
  packetsOut,
  packetsIn,
  rttUs:             null,
  retrans:           0,
  retransRate:       null,
  failedConnections: 0,
  connections:       1,
  direction:         'outbound',
  ports:             [],
  categories:        [],
});

describe('rows for the shell\'s SortableTable', () => {
  it('gives peers their bytes and packets both ways as fields, keeping the rest', () => {
    const [a] = peerTableRows([peer('pod:shop/a', 10, 30, 1, 2)]);

    expect(a.bytes).toBe(40);
    expect(a.packets).toBe(3);
    expect(a.peer.key).toBe('pod:shop/a');
    expect(a.bytesOut).toBe(10);
  });

  it('keys ports by protocol and port: the same port over TCP and UDP are two rows', () => {
    const rows = portTableRows([
      {
        protocol: 6, serverPort: 53, bytes: 1, packets: 1, connections: 1, flows: 1
      },
      {
        protocol: 17, serverPort: 53, bytes: 1, packets: 1, connections: 1, flows: 1
      },
    ]);

    expect(rows.map((r) => r.key)).toEqual(['6/53', '17/53']);
  });

  it('keys flow records by their 5-tuple and times', () => {
    const base = {
      startTime: 100, endTime: 160, protocol: 6, clientIp: '10.0.0.1', clientPort: 40000, serverIp: '10.0.0.2', serverPort: 80
    } as EnrichedFlowRecord;
    const keys = recordTableRows([base, { ...base, clientPort: 40001 }, { ...base, startTime: 160, endTime: 220 }]).map((r) => r.key);

    expect(new Set(keys).size).toBe(3);
    expect(keys[0]).toBe('100|160|6|10.0.0.1|40000|10.0.0.2|80');
  });
});

describe('the records table\'s server-side sort', () => {
  it('reads what the table asks for: a header\'s `<column>:desc`, flipped by `descending`', () => {
    expect(recordSortOf(['byte:desc'], false)).toEqual({ column: 'byte', direction: 'desc' });
    expect(recordSortOf(['byte:desc'], true)).toEqual({ column: 'byte', direction: 'asc' });
    expect(recordSortOf(['start_time:desc', 'nameSort', 'id'], false)).toEqual({ column: 'start_time', direction: 'desc' });
  });

  it('asks for nothing the querier cannot sort by', () => {
    expect(recordSortOf([], false)).toBeNull();
    expect(recordSortOf(['nameSort', 'id'], false)).toBeNull();
    expect(recordSortOf(['byte'], false)).toBeNull();
    expect(recordSortOf(['server_port:desc'], true)).toBeNull();
    expect(recordSortOf(['byte:desc; DROP'], false)).toBeNull();
  });

  it('starts the table at any applied sort and reads it back unchanged', () => {
    for (const column of FLOW_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        expect(recordSortOf([recordHeaderSort(column)], recordTableDescending({ column, direction }))).toEqual({ column, direction });
      }
    }
  });
});
