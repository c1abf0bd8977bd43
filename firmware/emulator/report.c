#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "report.h"

static FILE *bench;

void report_open(void) {
  int fd = dup(STDOUT_FILENO);
  if (fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    perror("tendril-twin: taking stdout");
    exit(2);
  }
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  bench = fdopen(fd, "w");
  if (!bench) {
    perror("tendril-twin: fdopen");
    exit(2);
  }
  /* Flushed once per pass of the run loop, so a burst of lines costs one write. */
  setvbuf(bench, NULL, _IOFBF, 1 << 16);
  /* Whatever simavr prints now lands on stderr, a line at a time. */
  setvbuf(stdout, NULL, _IOLBF, 0);
}

void report(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vfprintf(bench, format, args);
  va_end(args);
  fputc('\n', bench);
}

int report_flush(void) { return fflush(bench) == 0 ? 0 : -1; }
