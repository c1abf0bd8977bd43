/**
 * Where every fake clock in the tests starts. A clock seeded from the real time makes a test that
 * crosses a minute, an hour or midnight pass or fail by the moment it happens to run.
 */
export const TEST_START = Date.parse('2026-01-01T00:00:00Z');
