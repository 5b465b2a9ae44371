/**
 * The invertible {@link org.cfq.data.encode.Encoder} from original units to model space
 * and the {@link org.cfq.data.encode.ModelSpaceLayout} that says which columns each
 * feature occupies (one-hot groups explicit).
 */
package org.cfq.data.encode;
