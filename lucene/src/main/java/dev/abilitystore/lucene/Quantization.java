package dev.abilitystore.lucene;

/** How the HNSW graph holds vectors. */
public enum Quantization {
  /** Full 32-bit floats. */
  NONE,
  /**
   * 8-bit scalar quantisation: the graph is built and searched on bytes (4× less to read), an
   * over-fetched candidate set is then rescored with the full-precision floats, which the index
   * keeps as well.
   */
  INT8
}
