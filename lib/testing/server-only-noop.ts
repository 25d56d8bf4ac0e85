// Stand-in for the `server-only` marker package when lib/ modules run under Vitest in plain Node.
export {};
