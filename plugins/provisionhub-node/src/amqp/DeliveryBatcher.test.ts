import { DeliveryBatcher } from './DeliveryBatcher';

describe('DeliveryBatcher', () => {
  it('hands over what arrived together as one group, and later arrivals as the next', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const firstHandled = new Promise<void>(resolve => {
      release = resolve;
    });
    const batcher = new DeliveryBatcher<number>(async items => {
      groups.push(items);
      if (groups.length === 1) {
        await firstHandled;
      }
    }, 3);

    const done = [1, 2, 3, 4, 5].map(n => batcher.add(n));
    // Arrives while the first group is being handled.
    const late = new Promise(resolve => setImmediate(resolve)).then(() =>
      batcher.add(6),
    );
    await new Promise(resolve => setImmediate(resolve));
    release();
    await Promise.all([...done, late]);

    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('handles the messages of a failing group one by one, so only the bad one fails', async () => {
    const handled: number[][] = [];
    const batcher = new DeliveryBatcher<number>(async items => {
      handled.push(items);
      if (items.includes(2)) {
        throw new Error('cannot handle 2');
      }
    }, 10);

    const results = await Promise.allSettled(
      [1, 2, 3].map(n => batcher.add(n)),
    );

    expect(results.map(r => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(handled).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
