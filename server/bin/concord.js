#!/usr/bin/env node
// npm links workspace bins (not the root package's own) into node_modules/.bin, so `npx concord`
// finds the command through this package. The command itself is the repository's bin/concord.js.
require("../../bin/concord.js");
