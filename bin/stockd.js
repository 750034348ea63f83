#!/usr/bin/env node
// stockd's executable: runs the TypeScript entry point directly (Node ≥ 22.18 strips types).
import '../src/main.ts';
