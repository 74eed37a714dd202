#!/usr/bin/env node
// Starts the CLI from one bundle of its TypeScript sources, made on first use (launch.mjs).
import { launch } from './launch.mjs';

await launch();
