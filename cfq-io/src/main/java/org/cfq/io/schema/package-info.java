/** Schema files and actionability rules files as JSON. */
package org.cfq.io.schema;
