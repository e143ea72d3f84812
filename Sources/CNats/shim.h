// nats.c from Debian's libnats-dev (pkg-config libnats). Only NATSBroker imports this module.
#include <nats/nats.h>
#include <stdlib.h>
#include <string.h>
