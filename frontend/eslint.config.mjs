// Next.js's own rules: React, hooks, accessibility, Core Web Vitals and its TypeScript set.
// eslint-config-next 15 ships them as a legacy eslintrc config, so FlatCompat translates it.
import { FlatCompat } from "@eslint/eslintrc";

const compat = new FlatCompat({ baseDirectory: import.meta.dirname });

const eslintConfig = [
  // Build output and generated files, not sources.
  { ignores: [".next/", "out/", "next-env.d.ts", "nginx/generated/"] },
  ...compat.extends("next/core-web-vitals", "next/typescript"),
];

export default eslintConfig;
