/*
 * The bench's channel: stdout carries protocol lines and nothing else (harness-protocol in
 * README.md). simavr printf()s chatter in places, so the real stdout is kept for us alone and
 * fd 1 is pointed at stderr before simavr says anything.
 */
#ifndef TWIN_REPORT_H
#define TWIN_REPORT_H

void report_open(void);
/* One protocol line; the newline is added. Buffered until report_flush(). */
void report(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Sends what is buffered. -1 when the bench has gone (its end of the pipe is closed). */
int report_flush(void);

#endif
