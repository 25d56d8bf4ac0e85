// The bundled seed: regions, SAG APP (software) and CPE (hardware) instances and 475 client accounts.
// Every instance exists for a reason: README.md has the table of which roam answers which error, and of which
// instance shows which finding of a plan.
import type { EmulatorSeed } from './model';

/** Instance IDs of the bundled seed, so tests and docs can name them. */
export const SEED_INSTANCES = {
  /** cn-shanghai APP, 10.10.0.0/16, 10M, quota 500: the usual origin, ~190 accounts. */
  shanghaiHq: 'sag-shhqisehm13vdzujo497',
  /** cn-hangzhou APP, 10.20.0.0/16, 20M, quota 300: the usual target; shares 3 usernames with shanghaiHq. */
  hangzhouRnd: 'sag-hzrdu7a0kxemg6nf99vr',
  /** cn-hongkong APP, 10.30.0.0/16, only 5M: too small for the 8 Mbit/s video account. */
  hongkongSales: 'sag-hkslzqxm830coc238ggw',
  /** ap-southeast-1 APP with a full quota (50 of 50). */
  singaporeApac: 'sag-sgap2ee0edr9cah5i4s0',
  /** eu-central-1 APP whose CIDR 10.10.128.0/20 overlaps shanghaiHq's. */
  frankfurtEu: 'sag-fraedf3zdlhp2st6oqjq',
  /** cn-hangzhou APP bought but not configured: no client CIDR. */
  hangzhouLab: 'sag-hzlblef2jnyt7slyi9fx',
  /** cn-hangzhou CPE (hardware). */
  hangzhouFactoryCpe: 'sag-hzcprzybewc5porg8z88',
  /** cn-shanghai CPE (hardware). */
  shanghaiBranchCpe: 'sag-shcpqsn4112zw5j91g0g',
  /** cn-shanghai APP: same region as shanghaiHq. */
  shanghaiPudong: 'sag-shpdog8rel1kbpt4vywb',
  /** ap-northeast-1 APP, a plain healthy target. */
  tokyo: 'sag-jptk65n2k1jy6rqfktbz',
  /** cn-hongkong APP, quota 100 with 70 accounts (30 free); 2 of them are also on shanghaiHq. */
  hongkongOps: 'sag-hkops3x7n2m9v4c1b8qz',
  /** ap-northeast-1 APP not active (status Init), otherwise a clean target: CIDR, quota, no accounts. */
  japanStandby: 'sag-jpsb5e8r1t6y3u0i9o2p',
  /** eu-central-1 virtual CPE (hardware, sag-vcpe). */
  frankfurtVcpe: 'sag-frvc4k7j1h8g5f2d6s3a',
} as const;

/** Named accounts of the bundled seed that drive scenarios. */
export const SEED_USERS = {
  /** On shanghaiHq only; roams cleanly to hangzhouRnd, tokyo, hongkongSales. */
  ready: 'li.wei@corp.example.com',
  readyPlain: 'liu.yang',
  /** On shanghaiHq and hangzhouRnd. */
  clash: 'wang.fang@corp.example.com',
  clashPlain: 'zhang.min',
  /** 8000 Kbit/s, above hongkongSales' 5M. */
  highBandwidth: 'video.studio',
  /** Static IP 10.10.8.8, outside every other instance's CIDR. */
  staticIp: 'nas.gateway',
  /** Created before the username rules; starts with `_`. */
  legacyInvalidName: '_svc.backup',
  /** State 1 (disabled) on shanghaiHq. */
  disabled: 'contractor.temp',
  /** On shanghaiHq and hangzhouRnd; used this month on hangzhouRnd, so it cannot be deleted there. */
  inUseOnTarget: 'chen.jie@corp.example.com',
  /** On shanghaiHq only; roams cleanly, and its user connects at once: an undo cannot delete the copy this month. */
  connectsAtOnce: 'always.on@corp.example.com',
  /** On shanghaiHq and hongkongOps. */
  clashHongkong: 'zhao.lei@corp.example.com',
  clashHongkongPlain: 'sun.lili',
  /** Not on any instance. */
  unknown: 'nobody.here',
} as const;

export interface RoamScenario {
  /** The code RoamClientUser answers, or 'OK'. */
  expect: string;
  originRegionId: string;
  originSmartAgId: string;
  regionId: string;
  targetSmartAgId: string;
  userName: string;
}

const S = SEED_INSTANCES;
const U = SEED_USERS;

/** One RoamClientUser request per outcome, against the bundled seed (each from a fresh state). */
export const ROAM_SCENARIOS = {
  ok: scenario('OK', 'cn-shanghai', S.shanghaiHq, 'cn-hangzhou', S.hangzhouRnd, U.ready),
  instanceUnknown: scenario(
    'SAG.InstanceNoFound',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hangzhou',
    'sag-0deleted0instance000',
    U.ready,
  ),
  instanceInOtherRegion: scenario(
    'SAG.InstanceNoFound',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hongkong',
    S.hangzhouRnd,
    U.ready,
  ),
  targetHardware: scenario(
    'ClientUser.NotSupportAction',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hangzhou',
    S.hangzhouFactoryCpe,
    U.ready,
  ),
  originHardware: scenario(
    'ClientUser.NotSupportAction',
    'cn-shanghai',
    S.shanghaiBranchCpe,
    'cn-hangzhou',
    S.hangzhouRnd,
    U.ready,
  ),
  cidrEmpty: scenario('SAG.CidrEmpty', 'cn-shanghai', S.shanghaiHq, 'cn-hangzhou', S.hangzhouLab, U.ready),
  bandwidth: scenario(
    'ClientUser.BandwidthInvalid',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hongkong',
    S.hongkongSales,
    U.highBandwidth,
  ),
  clientIp: scenario(
    'ClientUser.InvalidClientIp',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hangzhou',
    S.hangzhouRnd,
    U.staticIp,
  ),
  overLimit: scenario(
    'ClientUser.UserOverLimit',
    'cn-shanghai',
    S.shanghaiHq,
    'ap-southeast-1',
    S.singaporeApac,
    U.ready,
  ),
  userExist: scenario(
    'ClientUser.UserExist',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hangzhou',
    S.hangzhouRnd,
    U.clash,
  ),
  nameInvalid: scenario(
    'ClientUser.NameInvalid',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hangzhou',
    S.hangzhouRnd,
    U.legacyInvalidName,
  ),
  cidrOverlap: scenario(
    'SAG.CidrOverlap',
    'cn-shanghai',
    S.shanghaiHq,
    'eu-central-1',
    S.frankfurtEu,
    U.ready,
  ),
  userNotExist: scenario(
    'ClientUser.NotExist',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-hangzhou',
    S.hangzhouRnd,
    U.unknown,
  ),
  sameRegion: scenario(
    'SAG.SameRegion',
    'cn-shanghai',
    S.shanghaiHq,
    'cn-shanghai',
    S.shanghaiPudong,
    U.ready,
  ),
} as const satisfies Record<string, RoamScenario>;

export interface DeleteScenario {
  /** The code DeleteSmartAccessGatewayClientUser answers, or 'OK'. */
  expect: string;
  regionId: string;
  smartAgId: string;
  userName: string;
}

/** One DeleteSmartAccessGatewayClientUser request per outcome, against the bundled seed (each from a fresh state). */
export const DELETE_SCENARIOS = {
  /** Frees a place of hangzhouRnd's quota. */
  ok: { expect: 'OK', regionId: 'cn-hangzhou', smartAgId: S.hangzhouRnd, userName: U.clashPlain },
  inUse: {
    expect: 'ClientUser.UserInUsing',
    regionId: 'cn-hangzhou',
    smartAgId: S.hangzhouRnd,
    userName: U.inUseOnTarget,
  },
  userUnknown: {
    expect: 'ClientUser.NotExist',
    regionId: 'cn-hangzhou',
    smartAgId: S.hangzhouRnd,
    userName: U.ready,
  },
  instanceUnknown: {
    expect: 'SAG.InstanceNoFound',
    regionId: 'cn-hangzhou',
    smartAgId: 'sag-0deleted0instance000',
    userName: U.clashPlain,
  },
  instanceInOtherRegion: {
    expect: 'SAG.InstanceNoFound',
    regionId: 'cn-shanghai',
    smartAgId: S.hangzhouRnd,
    userName: U.clashPlain,
  },
  nameInvalid: {
    expect: 'ClientUser.NameInvalid',
    regionId: 'cn-shanghai',
    smartAgId: S.shanghaiHq,
    userName: U.legacyInvalidName,
  },
} as const satisfies Record<string, DeleteScenario>;

function scenario(
  expect: string,
  originRegionId: string,
  originSmartAgId: string,
  regionId: string,
  targetSmartAgId: string,
  userName: string,
): RoamScenario {
  return { expect, originRegionId, originSmartAgId, regionId, targetSmartAgId, userName };
}

export const DEFAULT_SEED: EmulatorSeed = {
  regions: [
    {
      regionId: 'cn-shanghai',
      localName: { 'zh-CN': '华东2（上海）', 'en-US': 'China (Shanghai)', ja: '中国 (上海)' },
    },
    {
      regionId: 'cn-hangzhou',
      localName: { 'zh-CN': '华东1（杭州）', 'en-US': 'China (Hangzhou)', ja: '中国 (杭州)' },
    },
    {
      regionId: 'cn-hongkong',
      localName: { 'zh-CN': '中国香港', 'en-US': 'China (Hong Kong)', ja: '中国 (香港)' },
    },
    {
      regionId: 'ap-southeast-1',
      localName: { 'zh-CN': '新加坡', 'en-US': 'Singapore', ja: 'シンガポール' },
    },
    {
      regionId: 'ap-northeast-1',
      localName: { 'zh-CN': '日本（东京）', 'en-US': 'Japan (Tokyo)', ja: '日本 (東京)' },
    },
    {
      regionId: 'eu-central-1',
      localName: {
        'zh-CN': '德国（法兰克福）',
        'en-US': 'Germany (Frankfurt)',
        ja: 'ドイツ (フランクフルト)',
      },
    },
  ],
  instances: [
    {
      smartAgId: S.shanghaiHq,
      regionId: 'cn-shanghai',
      name: 'shanghai-hq-app',
      description: 'Head office remote staff',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.10.0.0/16',
      maxBandwidthMbps: 10,
      quota: 500,
      createTime: '2023-03-01T02:00:00Z',
      endTime: '2026-03-01T16:00:00Z',
      mailDomain: 'corp.example.com',
      defaultBandwidthKbps: 2000,
      accounts: [
        { userName: U.ready },
        { userName: U.readyPlain },
        { userName: U.clash },
        { userName: U.clashPlain },
        { userName: U.inUseOnTarget },
        { userName: U.clashHongkong, bandwidthKbps: 4000 },
        { userName: U.clashHongkongPlain, bandwidthKbps: 1000 },
        { userName: U.highBandwidth, bandwidthKbps: 8000 },
        { userName: U.staticIp, bandwidthKbps: 1000, staticIp: '10.10.8.8' },
        { userName: U.legacyInvalidName, userMail: 'it-ops@corp.example.com' },
        { userName: U.disabled, disabled: true },
        { userName: U.connectsAtOnce, connectsWhenRoamed: true },
      ],
      generatedAccounts: [
        { userName: 'sh.emp{n}@corp.example.com', count: 150, pad: 3 },
        { userName: 'shstaff{n}', count: 30, pad: 3, bandwidthKbps: 1000 },
      ],
    },
    {
      smartAgId: S.hangzhouRnd,
      regionId: 'cn-hangzhou',
      name: 'hangzhou-rnd-app',
      description: 'R&D centre',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.20.0.0/16',
      maxBandwidthMbps: 20,
      quota: 300,
      createTime: '2023-05-12T06:30:00Z',
      endTime: '2026-05-12T16:00:00Z',
      mailDomain: 'corp.example.com',
      defaultBandwidthKbps: 4000,
      accounts: [
        { userName: U.clash },
        { userName: U.clashPlain },
        { userName: U.inUseOnTarget, usedThisMonth: true },
      ],
      generatedAccounts: [{ userName: 'hz.dev{n}', count: 60, pad: 3 }],
    },
    {
      smartAgId: S.hongkongSales,
      regionId: 'cn-hongkong',
      name: 'hongkong-sales-app',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.30.0.0/16',
      maxBandwidthMbps: 5,
      quota: 200,
      createTime: '2023-08-20T01:00:00Z',
      endTime: '2025-08-20T16:00:00Z',
      mailDomain: 'corp.example.com',
      defaultBandwidthKbps: 2000,
      generatedAccounts: [{ userName: 'hk.sales{n}@corp.example.com', count: 40, pad: 2 }],
    },
    {
      smartAgId: S.singaporeApac,
      regionId: 'ap-southeast-1',
      name: 'singapore-apac-app',
      description: 'Quota fully used',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.40.0.0/16',
      maxBandwidthMbps: 10,
      quota: 50,
      createTime: '2024-01-08T03:00:00Z',
      endTime: '2027-01-08T16:00:00Z',
      mailDomain: 'corp.example.sg',
      defaultBandwidthKbps: 2000,
      generatedAccounts: [{ userName: 'sg.ops{n}', count: 50, pad: 3 }],
    },
    {
      smartAgId: S.frankfurtEu,
      regionId: 'eu-central-1',
      name: 'frankfurt-eu-app',
      description: 'CIDR carved out of the Shanghai plan by mistake',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.10.128.0/20',
      maxBandwidthMbps: 10,
      quota: 100,
      createTime: '2024-02-14T09:00:00Z',
      endTime: '2027-02-14T16:00:00Z',
      mailDomain: 'corp.example.de',
      defaultBandwidthKbps: 2000,
      generatedAccounts: [{ userName: 'eu.team{n}@corp.example.de', count: 20, pad: 2 }],
    },
    {
      smartAgId: S.hangzhouLab,
      regionId: 'cn-hangzhou',
      name: 'hangzhou-lab-app',
      description: 'Bought, client CIDR not configured yet',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '',
      maxBandwidthMbps: 10,
      quota: 100,
      createTime: '2024-06-01T08:00:00Z',
      endTime: '2025-06-01T16:00:00Z',
    },
    {
      smartAgId: S.hangzhouFactoryCpe,
      regionId: 'cn-hangzhou',
      name: 'hangzhou-factory-cpe',
      instanceType: 'hardware',
      status: 'Active',
      cidrBlock: '192.168.20.0/24',
      maxBandwidthMbps: 50,
      quota: 0,
      createTime: '2022-11-03T02:00:00Z',
      endTime: '2025-11-03T16:00:00Z',
      hardwareVersion: 'sag-1000',
      serialNumber: 'sag3f8a21c7',
    },
    {
      smartAgId: S.shanghaiBranchCpe,
      regionId: 'cn-shanghai',
      name: 'shanghai-branch-cpe',
      instanceType: 'hardware',
      status: 'Offline',
      cidrBlock: '192.168.10.0/24',
      maxBandwidthMbps: 20,
      quota: 0,
      createTime: '2022-09-15T02:00:00Z',
      endTime: '2025-09-15T16:00:00Z',
      hardwareVersion: 'sag-100wm',
      serialNumber: 'sag7b90e412',
    },
    {
      smartAgId: S.shanghaiPudong,
      regionId: 'cn-shanghai',
      name: 'shanghai-pudong-app',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.11.0.0/16',
      maxBandwidthMbps: 10,
      quota: 100,
      createTime: '2023-10-10T02:00:00Z',
      endTime: '2026-10-10T16:00:00Z',
      mailDomain: 'corp.example.com',
      defaultBandwidthKbps: 2000,
      generatedAccounts: [{ userName: 'pd.staff{n}', count: 25, pad: 3 }],
    },
    {
      smartAgId: S.tokyo,
      regionId: 'ap-northeast-1',
      name: 'tokyo-app',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.50.0.0/16',
      maxBandwidthMbps: 10,
      quota: 100,
      createTime: '2024-04-01T00:00:00Z',
      endTime: '2027-04-01T15:00:00Z',
      mailDomain: 'corp.example.jp',
      defaultBandwidthKbps: 2000,
      generatedAccounts: [{ userName: 'jp.member{n}', count: 15, pad: 3 }],
    },
    {
      smartAgId: S.hongkongOps,
      regionId: 'cn-hongkong',
      name: 'hongkong-ops-app',
      description: 'Nearly full: 30 accounts free',
      instanceType: 'software',
      status: 'Active',
      cidrBlock: '10.80.0.0/16',
      maxBandwidthMbps: 10,
      quota: 100,
      createTime: '2024-03-18T01:00:00Z',
      endTime: '2027-03-18T16:00:00Z',
      mailDomain: 'corp.example.com',
      defaultBandwidthKbps: 2000,
      accounts: [
        { userName: U.clashHongkong, bandwidthKbps: 4000 },
        { userName: U.clashHongkongPlain, bandwidthKbps: 1000 },
      ],
      generatedAccounts: [{ userName: 'hk.ops{n}', count: 68, pad: 3 }],
    },
    {
      smartAgId: S.japanStandby,
      regionId: 'ap-northeast-1',
      name: 'japan-standby-app',
      description: 'Bought for a new office, not initialised yet',
      instanceType: 'software',
      status: 'Init',
      cidrBlock: '10.90.0.0/16',
      maxBandwidthMbps: 10,
      quota: 100,
      createTime: '2025-01-06T00:00:00Z',
      endTime: '2028-01-06T15:00:00Z',
      mailDomain: 'corp.example.jp',
    },
    {
      smartAgId: S.frankfurtVcpe,
      regionId: 'eu-central-1',
      name: 'frankfurt-vcpe',
      instanceType: 'hardware',
      status: 'Active',
      cidrBlock: '192.168.40.0/24',
      maxBandwidthMbps: 100,
      quota: 0,
      createTime: '2024-05-02T08:00:00Z',
      endTime: '2027-05-02T16:00:00Z',
      hardwareVersion: 'sag-vcpe',
      serialNumber: 'sagvc51d09e3',
    },
  ],
};
