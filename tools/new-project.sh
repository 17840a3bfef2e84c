#!/usr/bin/env bash
# Scaffolds the per-project files (project.json, tsconfigs, jest config) used by every project.
# usage: tools/new-project.sh <apps|libs> <name> <tag> [app]
set -euo pipefail
kind=$1 name=$2 tag=$3
dir="$kind/$name"
mkdir -p "$dir/src"
if [ "$kind" = apps ]; then
  entry="src/main.ts"
  targets=$(cat <<J
    "build": { "executor": "nx:run-commands", "outputs": ["{workspaceRoot}/dist/$dir"], "options": { "commands": ["tsc -p $dir/tsconfig.app.json", "node tools/link-libs.mjs"], "parallel": false } },
    "serve": { "executor": "nx:run-commands", "dependsOn": ["build"], "options": { "command": "node dist/$dir/src/main.js" } },
J
)
else
  targets=""
fi
cat > "$dir/project.json" <<J
{
  "name": "$name",
  "\$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$( [ "$kind" = apps ] && echo application || echo library )",
  "tags": ["$tag"],
  "targets": {
$targets
    "typecheck": { "executor": "nx:run-commands", "options": { "commands": ["tsc -p $dir/tsconfig.app.json --noEmit", "tsc -p $dir/tsconfig.spec.json --noEmit"] } },
    "lint": { "executor": "nx:run-commands", "options": { "command": "eslint --max-warnings=0 $dir" } },
    "test": { "executor": "nx:run-commands", "options": { "command": "jest -c $dir/jest.config.cts" } }
  }
}
J
cat > "$dir/tsconfig.app.json" <<J
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "outDir": "../../dist", "rootDir": "../.." },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts", "src/**/*.int-spec.ts"]
}
J
cat > "$dir/tsconfig.spec.json" <<J
{
  "extends": "../../tsconfig.spec.json",
  "compilerOptions": { "noEmit": true },
  "include": ["src/**/*.ts"]
}
J
# typescript-eslint's project service finds a project's files through this one
cat > "$dir/tsconfig.json" <<J
{
  "files": [],
  "include": [],
  "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.spec.json" }]
}
J
cat > "$dir/jest.config.cts" <<J
/* Unit specs only: beside the code, no services needed. */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: '$name',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
J
