/**
 * The sandbox writes a long list a batch at a time (sandbox/backend/http.ts sendJsonList): the bytes are the
 * collection's JSON all the same, and other requests are answered between the batches.
 */
import { ServerResponse } from 'http';
import { sendJsonList } from '../../../sandbox/backend/http';

function capture() {
  const chunks: string[] = [];
  const res = {
    writeHead: () => res,
    write:     (chunk: string) => chunks.push(chunk),
    end:       (chunk: string) => chunks.push(chunk),
  };

  return { res: res as unknown as ServerResponse, chunks };
}

describe('sendJsonList', () => {
  it.each([0, 1, 250, 251, 1000])('sends the same JSON as the whole collection, %i items', async(count) => {
    const items = Array.from({ length: count }, (_, i) => ({ name: `item-${ i }`, quote: '"]}' }));
    const { res, chunks } = capture();

    await sendJsonList(res, { type: 'collection', count, data: [] }, items, (item) => ({ ...(item as object), listed: true }));
    expect(JSON.parse(chunks.join(''))).toEqual({ type: 'collection', count, data: items.map((item) => ({ ...item, listed: true })) });
  });

  it('lets other work run between batches', async() => {
    const order: string[] = [];
    const { res } = capture();
    const sending = sendJsonList(res, { data: [] }, Array.from({ length: 600 }, (_, i) => i), (i) => {
      order.push('item');

      return i;
    });

    setImmediate(() => order.push('other'));
    await sending;
    expect(order.indexOf('other')).toBeGreaterThan(0);
    expect(order.indexOf('other')).toBeLessThan(order.length - 1);
  });

  it('refuses a body whose last field is not an empty data list', async() => {
    await expect(sendJsonList(capture().res, { data: [], more: 1 } as any, [], (i) => i)).rejects.toThrow('empty data field');
  });
});
