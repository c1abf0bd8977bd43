/* The controller's setup and main loop: what runs, in which order, on every pass. */
#ifndef TENDRIL_STATION_H
#define TENDRIL_STATION_H

void station_setup(void);
void station_loop(void);

#endif
