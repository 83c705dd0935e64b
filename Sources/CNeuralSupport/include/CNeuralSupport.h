#ifndef CNEURALSUPPORT_H
#define CNEURALSUPPORT_H
#include <stddef.h>
#include <stdint.h>
/* placeholder: gzip and SHA-256 helpers are added by the MNIST work */
int cns_version(void);
#endif
