// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The SAG client and the emulator use Node built-ins (http, crypto) and are only ever loaded on the server.
  serverExternalPackages: ['@alicloud/credentials'],
};

module.exports = nextConfig;
