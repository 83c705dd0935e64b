/* Byte → Float conversion for images stored as unsigned bytes. */
#include "CNeuralSupport.h"

void cns_bytes_to_unit_floats(const uint8_t *bytes, float *output, size_t count) {
    float table[256];                                /* table[b] = b / 255, one division per value */
    for (int b = 0; b < 256; b++) table[b] = (float)b / 255.0f;
    for (size_t i = 0; i < count; i++) output[i] = table[bytes[i]];
}
