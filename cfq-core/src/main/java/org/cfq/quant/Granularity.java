package org.cfq.quant;

/** Whether one scale covers a whole weight tensor or each output channel (row) has its own. */
public enum Granularity {
    /** One scale and zero point for the whole tensor (the published setup). */
    TENSOR,
    /** One scale and zero point per output channel, i.e. per row of an (out x in) weight. */
    CHANNEL
}
