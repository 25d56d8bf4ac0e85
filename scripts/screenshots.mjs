#!/usr/bin/env node
// Remakes the README's screenshots from a running app on the emulator, so they stay current:
//   npm run demo            (in one terminal)
//   npm run screenshots     (in another; BASE_URL defaults to http://127.0.0.1:3000)
// For English and Simplified Chinese, at desktop and phone width: the plan before sending, the finished job
// beside the form (two roamed accounts, one mapped error, one already on the target) and the history. It signs
// in as the demo admin (SCREENSHOT_EMAIL / SCREENSHOT_PASSWORD for another account) and roams usernames not yet
// on the target each run: the demo keeps the emulator's accounts in DATA_DIR, so it runs about seventy times
// before the origin has none left (delete DATA_DIR to start over).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const outputDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'docs', 'screenshots');
mkdirSync(outputDir, { recursive: true });

const screens = {
  desktop: { viewport: { width: 1440, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
const locales = { en: 'en-US', 'zh-CN': 'zh-CN' };
const texts = {
  en: {
    signIn: 'Sign in',
    email: 'E-mail',
    password: 'Password',
    paste: 'Paste usernames',
    add: 'Add to list',
    roam: 'Roam',
    plan: 'Plan before sending',
    finished: 'Job finished',
    originRegion: 'Origin region',
    targetRegion: 'Target region',
    originInstance: 'Origin SAG APP instance',
    targetInstance: 'Target SAG APP instance',
  },
  'zh-CN': {
    signIn: '登录',
    email: '邮箱',
    password: '密码',
    paste: '粘贴用户名',
    add: '加入列表',
    roam: '漫游',
    plan: '发送前的计划',
    finished: '任务已结束',
    originRegion: '源地域',
    targetRegion: '目标地域',
    originInstance: '源 SAG APP 实例',
    targetInstance: '目标 SAG APP 实例',
  },
};

/** Usernames of the origin not yet on the target, read through the app's own API. */
async function freshUsernames(page, count) {
  return page.evaluate(async (wanted) => {
    const list = async (region, instance) => {
      const response = await fetch(`/api/regions/${region}/instances/${instance}/users?page=1&search=sh.emp`);
      return (await response.json()).users.map((user) => user.userName);
    };
    const onTarget = new Set(await list('cn-hangzhou', 'sag-hzrdu7a0kxemg6nf99vr'));
    let page = 1;
    const found = [];
    while (found.length < wanted && page < 10) {
      const response = await fetch(
        `/api/regions/cn-shanghai/instances/sag-shhqisehm13vdzujo497/users?page=${page}&search=sh.emp`,
      );
      const users = (await response.json()).users.map((user) => user.userName);
      if (users.length === 0) break;
      found.push(...users.filter((name) => !onTarget.has(name)));
      page += 1;
    }
    return found.slice(0, wanted);
  }, count);
}

const browser = await chromium.launch({
  executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
  args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const written = [];
try {
  for (const [language, acceptLanguage] of Object.entries(locales)) {
    const text = texts[language];
    for (const [screenName, screen] of Object.entries(screens)) {
      const context = await browser.newContext({ ...screen, locale: acceptLanguage, colorScheme: 'light' });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel(text.email).fill(process.env.SCREENSHOT_EMAIL ?? 'demo-admin@sag-roam.local');
      await page.getByLabel(text.password).fill(process.env.SCREENSHOT_PASSWORD ?? 'sag-roam-demo-password');
      await page.getByRole('button', { name: text.signIn }).click();
      // Signed in once the form's page is there (on a phone, Sign out is inside the header's menu).
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto(baseUrl);

      await page.getByLabel(text.originRegion).selectOption('cn-shanghai');
      await page.getByRole('combobox', { name: text.originInstance }).fill('sag-shhqisehm13vdzujo497');
      await page.getByLabel(text.targetRegion).selectOption('cn-hangzhou');
      await page.getByRole('combobox', { name: text.targetInstance }).fill('sag-hzrdu7a0kxemg6nf99vr');
      const users = await freshUsernames(page, 2);
      // Two that roam, one the target refuses when it is sent (a static client IP outside its CIDR: the plan
      // cannot know), one already on the target (the plan skips it).
      await page
        .getByRole('textbox', { name: text.paste })
        .fill([...users, 'nas.gateway', 'wang.fang@corp.example.com'].join('\n'));
      await page.getByRole('button', { name: text.add }).click();
      await page.getByRole('button', { name: text.roam, exact: true }).click();
      const plan = page.getByRole('region', { name: text.plan });
      await plan.getByRole('button', { name: text.roam, exact: true }).waitFor();
      if (screenName === 'desktop') {
        const file = path.join(outputDir, `plan-${language}-desktop.png`);
        await page.screenshot({ path: file });
        written.push(file);
      }
      await plan.getByRole('button', { name: text.roam, exact: true }).click();
      await page.getByRole('status').filter({ hasText: text.finished }).waitFor();

      // The page as the admin sees it once the job has ended: on a wide screen the job beside the form, on a
      // phone the whole page, the job below the form.
      const file = path.join(outputDir, `finished-job-${language}-${screenName}.png`);
      if (screenName === 'desktop') {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: file });
      } else {
        await page.screenshot({ path: file, fullPage: true });
      }
      written.push(file);

      await page.goto(`${baseUrl}/history`);
      const history = path.join(outputDir, `history-${language}-${screenName}.png`);
      await page.screenshot({ path: history, fullPage: screenName === 'phone' });
      written.push(history);
      await context.close();
    }
  }
  for (const file of written) console.log(`wrote ${path.relative(process.cwd(), file)}`);
} finally {
  await browser.close();
}
