/**
 * The security suites again, with `GATEHOUSE_COMPAT=codx` on every stack they start: the codx
 * translation must not open anything those suites keep shut. (Each test file runs in its own
 * process, so the variable is set only here.)
 */
process.env["GATEHOUSE_TEST_COMPAT"] = "codx";
await import("./secrets.test.js");
await import("./origin-and-cookies.test.js");
await import("./accounts-api.test.js");
await import("./github-sign-in.test.js");
