/**
 * Input layout files: what each input column of a model trained outside cfq is in terms of a
 * schema's features ({@link org.cfq.data.encode.InputLayout}), read from JSON.
 */
package org.cfq.io.layout;
