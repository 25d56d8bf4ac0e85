import { describe, expect, it } from 'vitest';
import { CLIENT_USERS_PAGE_SIZE, type ClientUserLister, listAllClientUsers } from './client-user-pages';
import { adminMessage } from './error-messages';
import { isSagError, SagError } from './errors';
import type { DescribeClientUsersInput, SagClientUser, SagClientUserPage } from './operations';

// The pager against endpoints that answer oddly: it must end, with every call bounded, whatever they say.

const user = (userName: string): SagClientUser => ({
  userName,
  userMail: undefined,
  clientIp: undefined,
  bandwidth: undefined,
  isStaticIp: false,
  state: 0,
});

/** An endpoint holding `accounts`, answering pages as `answer` shapes them; records every call. */
function endpoint(
  accounts: string[],
  answer: (page: SagClientUserPage, asked: DescribeClientUsersInput) => SagClientUserPage = (page) => page,
) {
  const calls: DescribeClientUsersInput[] = [];
  const lister: ClientUserLister = {
    async describeSmartAccessGatewayClientUsers(input) {
      calls.push(input);
      const size = input.pageSize ?? 10;
      const start = ((input.pageNumber ?? 1) - 1) * size;
      const page = {
        requestId: `REQ-${input.pageNumber}`,
        totalCount: accounts.length,
        pageNumber: input.pageNumber ?? 1,
        pageSize: size,
        users: accounts.slice(start, start + size).map(user),
      };
      return answer(page, input);
    },
  };
  return { lister, calls };
}

const names = (count: number) =>
  Array.from({ length: count }, (_, index) => `user${String(index).padStart(4, '0')}`);
const query = { regionId: 'cn-shanghai', smartAGId: 'sag-target0001' };

describe('listAllClientUsers', () => {
  it('follows every page of a well-behaved endpoint, once each, and ends on the last', async () => {
    const { lister, calls } = endpoint(names(120));
    const listing = await listAllClientUsers(lister, query, { pageSize: 50 });
    expect(listing.users.map((account) => account.userName)).toEqual(names(120));
    expect(calls.map((call) => call.pageNumber)).toEqual([1, 2, 3]);
    expect(listing).toMatchObject({ pages: 3, requestId: 'REQ-3', found: false });
  });

  it('stops after a full last page by the total count, without asking for an empty one', async () => {
    const { lister, calls } = endpoint(names(100));
    await listAllClientUsers(lister, query, { pageSize: 50 });
    expect(calls).toHaveLength(2);
  });

  it('never trusts a page size of 0 nor an endless total: a short page is the last one', async () => {
    const { lister, calls } = endpoint(names(70), (page) => ({
      ...page,
      pageSize: 0,
      totalCount: 1_000_000,
    }));
    const listing = await listAllClientUsers(lister, query, { pageSize: 50 });
    expect(listing.users).toHaveLength(70);
    expect(calls).toHaveLength(2);
  });

  it('stops on an empty page whatever the total says', async () => {
    const { lister, calls } = endpoint([], (page) => ({ ...page, totalCount: 1_000_000 }));
    const listing = await listAllClientUsers(lister, query);
    expect(listing.users).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('gives up after the page cap with SagClient.ListingIncomplete when the list never ends', async () => {
    // Full pages forever: every page answers the same 50 accounts and a total that never comes.
    const { lister, calls } = endpoint(names(50), (page) => ({
      ...page,
      users: names(50).map(user),
      totalCount: 1_000_000,
    }));
    const failure = await listAllClientUsers(lister, query, { pageSize: 50, maxPages: 7 }).catch(
      (error) => error,
    );
    expect(isSagError(failure)).toBe(true);
    expect(failure).toMatchObject({
      code: 'SagClient.ListingIncomplete',
      outcome: 'not_applied',
      retryable: false,
      requestId: 'REQ-7',
    });
    expect(failure.admin.title).toMatch(/did not end/);
    expect(calls).toHaveLength(7);
  });

  it('stops at the page holding the account it looks for, with the filter it was given', async () => {
    const { lister, calls } = endpoint(names(200));
    const listing = await listAllClientUsers(
      lister,
      { ...query, userName: 'user0' },
      { pageSize: 50, until: (account) => account.userName === 'user0075' },
    );
    expect(listing).toMatchObject({ found: true, pages: 2 });
    expect(calls.every((call) => call.userName === 'user0')).toBe(true);
  });

  it('waits for its pace before each page and stops once the reader has gone', async () => {
    const { lister, calls } = endpoint(names(200));
    const reader = new AbortController();
    let paced = 0;
    const listing = listAllClientUsers(lister, query, {
      pageSize: 50,
      signal: reader.signal,
      beforePage: async () => {
        paced += 1;
        if (paced === 3) reader.abort();
      },
    });
    await expect(listing).rejects.toThrow();
    expect(calls).toHaveLength(2);
  });

  it('asks 100 accounts a page by default: 2,000 accounts in 20 calls', async () => {
    const { lister, calls } = endpoint(names(2_000));
    const listing = await listAllClientUsers(lister, query);
    expect(CLIENT_USERS_PAGE_SIZE).toBe(100);
    expect(listing.users).toHaveLength(2_000);
    expect(calls).toHaveLength(20);
    expect(calls.every((call) => call.pageSize === 100)).toBe(true);
  });

  it('reads every account from an endpoint that caps pages at 50 while echoing the 100 asked', async () => {
    const { lister, calls } = endpoint(names(120), (page, asked) => {
      const size = Math.min(asked.pageSize ?? 10, 50);
      const start = ((asked.pageNumber ?? 1) - 1) * size;
      return {
        ...page,
        users: names(120)
          .slice(start, start + size)
          .map(user),
      };
    });
    const listing = await listAllClientUsers(lister, query);
    expect(listing.users.map((account) => account.userName)).toEqual(names(120));
    expect(calls.map((call) => [call.pageNumber, call.pageSize])).toEqual([
      [1, 100],
      [2, 50],
      [3, 50],
    ]);
  });

  it('asks pages of 50 once an endpoint refuses 100 for its size, and passes on any other refusal', async () => {
    const refusal = (code: string, message: string) =>
      new SagError({
        code,
        message,
        action: 'DescribeSmartAccessGatewayClientUsers',
        outcome: 'not_applied',
        retryable: false,
        admin: adminMessage(code, {
          action: 'DescribeSmartAccessGatewayClientUsers',
          outcome: 'not_applied',
        }),
        httpStatus: 400,
      });
    const refusing = (error: SagError) => {
      const { lister, calls } = endpoint(names(120));
      return {
        calls,
        lister: {
          async describeSmartAccessGatewayClientUsers(input: DescribeClientUsersInput) {
            if ((input.pageSize ?? 10) > 50) {
              calls.push(input);
              throw error;
            }
            return lister.describeSmartAccessGatewayClientUsers(input);
          },
        },
      };
    };
    for (const error of [
      refusal('InvalidPageSize', 'The specified PageSize is invalid.'),
      refusal('InvalidParameter', 'The parameter PageSize must be between 1 and 50.'),
    ]) {
      const { lister, calls } = refusing(error);
      const listing = await listAllClientUsers(lister, query);
      expect(listing.users).toHaveLength(120);
      expect(calls.map((call) => call.pageSize)).toEqual([100, 50, 50, 50]);
    }
    const { lister, calls } = refusing(
      refusal('Forbidden.RAM', 'User not authorized to operate on PageSize.'),
    );
    await expect(listAllClientUsers(lister, query)).rejects.toMatchObject({ code: 'Forbidden.RAM' });
    expect(calls).toHaveLength(1);
  });
});
