package dev.abilitystore.lucene;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.EmbedderMismatchException;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.identity.AbilityIdOrder;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.port.WriteOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link VectorIndex} on an embedded Apache Lucene index: the default primary store.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Layout.</b> One document per ability (see {@link AbilityDocuments}): the embedding as
 *       an HNSW vector field with cosine similarity, name, service and description as analysed
 *       text for BM25, id/service/auth/timestamps for filters, the ability's JSON stored. The
 *       dimension, similarity and quantisation are recorded in every commit's user data and
 *       checked when the index is opened.
 *   <li><b>More than 1024 dimensions.</b> A codec whose vectors format raises the limit to 4096
 *       ({@link HnswVectorsFormat}); nothing of Lucene is patched.
 *   <li><b>Writes</b> go through one {@link IndexWriter} (thread-safe) and return only when
 *       committed and searchable, through a {@link GroupCommit} that lets concurrent writers
 *       share an fsync. An upsert whose content hash is unchanged writes nothing; a replaced
 *       ability keeps its {@code created_at}.
 *   <li><b>Failed writes.</b> When the directory cannot be written (disk full, read-only),
 *       Lucene closes the writer for good and the write fails with nothing acknowledged; reads go
 *       on from the last searcher. The next write or health check opens a new
 *       {@link WriterSession} from the last commit and proves it with a commit of its own, at
 *       most once a second, so the index recovers by itself once the directory is writable.
 *   <li><b>Reads</b> take a searcher from a {@link SearcherManager}; they never wait for the
 *       writer, and a searcher stays valid while it is used even as newer ones replace it.
 *   <li><b>Filters</b> of a vector search are a pre-filter inside the kNN query: Lucene explores
 *       the graph only through matching documents and falls back to an exact scan when the filter
 *       is selective, so a filtered search returns min(k, matches) results, none outside it.
 * </ul>
 *
 * <p>Scores, all in [0, 1]: {@code vector} — {@code (1 + cosine) / 2}, exact (with int8
 * quantisation, candidates are rescored with the full-precision vectors); {@code keyword} —
 * BM25 divided by the query's best BM25 score, so the best hit scores 1; {@code hybrid} — by
 * default the weighted mean of the two lists' scores, each min-max normalised over its
 * {@code fusionDepth} candidates ({@link Fusion#CONVEX}); with {@link Fusion#RRF}, weighted
 * reciprocal-rank fusion, {@code sum(w / (rrfK + rank))}, divided by the most any document can
 * get ({@code sum(w) / (rrfK + 1)}, first in both lists).
 *
 * <p>Thread-safe.
 */
public final class LuceneVectorIndex implements VectorIndex {
  private static final Logger log = LoggerFactory.getLogger(LuceneVectorIndex.class);
  static final String META_DIMENSION = "abilitystore.dimension";
  static final String META_SIMILARITY = "abilitystore.similarity";
  static final String META_QUANTIZATION = "abilitystore.quantization";
  static final String META_EMBEDDER = "abilitystore.embedder";
  /** Distinct query terms considered by a keyword search; four clauses each stay under Lucene's 1024. */
  private static final int MAX_QUERY_TERMS = 250;
  private static final int TEXT_FILTER_BATCH = 512;

  private final LuceneConfig config;
  private final FSDirectory directory;
  private static final long REOPEN_INTERVAL_NANOS = 1_000_000_000L;

  private volatile WriterSession session;
  private final Object reopening = new Object();
  private long nextReopenNanos;
  private @Nullable StoreUnavailableException reopenFailure;
  private final InstantSource clock;
  private final KeywordQueries keywordQueries;
  private volatile boolean closed;

  private LuceneVectorIndex(LuceneConfig config, FSDirectory directory, WriterSession session, InstantSource clock) {
    this.config = config;
    this.directory = directory;
    this.session = session;
    this.clock = clock;
    this.keywordQueries = new KeywordQueries(config.nameBoost(), MAX_QUERY_TERMS);
  }

  /**
   * Opens the index in the configured directory, creating it when there is none.
   *
   * @throws DimensionMismatchException if the index holds vectors of another dimension
   * @throws StoreUnavailableException if the directory cannot be used or another process holds it
   */
  public static LuceneVectorIndex open(LuceneConfig config) {
    return open(config, InstantSource.system());
  }

  /** Opens the index with a clock for {@code created_at} and {@code updated_at}. */
  public static LuceneVectorIndex open(LuceneConfig config, InstantSource clock) {
    Path path = config.directory();
    FSDirectory directory = null;
    try {
      Files.createDirectories(path);
      directory = FSDirectory.open(path);
      boolean exists = DirectoryReader.indexExists(directory);
      Map<String, String> recorded = exists ? SegmentInfos.readLatestCommit(directory).getUserData() : Map.of();
      checkRecorded(config, recorded);
      WriterSession session = WriterSession.open(directory, writerConfig(config), metadata(config, recorded), !exists);
      LuceneVectorIndex index = new LuceneVectorIndex(config, directory, session, clock);
      log.info("[VectorDB] Lucene index at {}: {} abilities, {} dimensions, quantization {}", path, index.count(),
          config.dimension(), config.quantization().name().toLowerCase(Locale.ROOT));
      return index;
    } catch (LockObtainFailedException e) {
      closeQuietly(directory);
      throw new StoreUnavailableException("[VectorDB] the Lucene index at " + path + " is in use by another process; "
          + "stop it, or give this one another ABILITYSTORE_DATA_DIR", e);
    } catch (IOException e) {
      closeQuietly(directory);
      throw new StoreUnavailableException("[VectorDB] cannot open the Lucene index at " + path + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      closeQuietly(directory);
      throw e;
    }
  }

  private static IndexWriterConfig writerConfig(LuceneConfig config) {
    return new IndexWriterConfig(new AbilityAnalyzer(false))
        .setCodec(codec(config))
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setRAMBufferSizeMB(64)
        .setCommitOnClose(true);
  }

  /**
   * Returns a session whose writer can write: the current one, or, when Lucene closed its writer
   * after a failure, a new one opened from the last commit.
   *
   * @throws StoreUnavailableException if the writer failed and a new one cannot write either
   */
  private WriterSession writable() {
    ensureOpen();
    WriterSession current = session;
    Throwable failure = current.failure();
    return failure == null ? current : reopen(current, failure);
  }

  private WriterSession reopen(WriterSession failed, Throwable failure) {
    synchronized (reopening) {
      ensureOpen();
      if (session != failed) {
        return session;
      }
      if (reopenFailure != null && System.nanoTime() < nextReopenNanos) {
        throw reopenFailure;
      }
      nextReopenNanos = System.nanoTime() + REOPEN_INTERVAL_NANOS;
      try {
        Map<String, String> recorded = SegmentInfos.readLatestCommit(directory).getUserData();
        WriterSession reopened = WriterSession.open(directory, writerConfig(config), metadata(config, recorded), true);
        session = reopened;
        reopenFailure = null;
        failed.abandon();
        log.warn("[VectorDB] reopened the Lucene index at {} after its writer failed ({}); writes go on from the "
            + "last commit", config.directory(), failure.getMessage());
        return reopened;
      } catch (IOException | RuntimeException e) {
        reopenFailure = new StoreUnavailableException("[VectorDB] the Lucene index at " + config.directory()
            + " cannot be written (" + failure.getMessage() + ", and reopening it failed: " + e.getMessage()
            + "); reads go on, writes are refused until the directory is writable again", e);
        throw reopenFailure;
      }
    }
  }

  private static void checkRecorded(LuceneConfig config, Map<String, String> recorded) {
    String dimension = recorded.get(META_DIMENSION);
    if (dimension != null && Integer.parseInt(dimension) != config.dimension()) {
      int held = Integer.parseInt(dimension);
      throw new DimensionMismatchException(held, config.dimension(), "[VectorDB] the Lucene index at "
          + config.directory() + " holds " + held + "-dimension vectors, but the store is configured for "
          + config.dimension() + ": set ABILITYSTORE_DIMENSION=" + held + " (and the embedder that made them), "
          + "or re-embed every ability with `abilitystore reembed`");
    }
    String model = recorded.get(META_EMBEDDER);
    if (model != null && config.embedderModel() != null && !model.equals(config.embedderModel())) {
      throw new EmbedderMismatchException(model, config.embedderModel(), "[VectorDB] the vectors in the Lucene index "
          + "at " + config.directory() + " were made by the embedding model " + model + ", but the store is "
          + "configured for " + config.embedderModel() + "; vectors of two models cannot be compared: configure "
          + model + " again, or re-embed every ability with the new model (`abilitystore reembed`)");
    }
    String similarity = recorded.get(META_SIMILARITY);
    if (similarity != null && !similarity.equals(AbilityDocuments.SIMILARITY.name())) {
      throw new InvalidInputException("[VectorDB] the Lucene index at " + config.directory() + " uses similarity "
          + similarity + ", this version only " + AbilityDocuments.SIMILARITY.name());
    }
  }

  private static Map<String, String> metadata(LuceneConfig config, Map<String, String> recorded) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(META_DIMENSION, Integer.toString(config.dimension()));
    metadata.put(META_SIMILARITY, AbilityDocuments.SIMILARITY.name());
    metadata.put(META_QUANTIZATION, config.quantization().name());
    String model = config.embedderModel() != null ? config.embedderModel() : recorded.get(META_EMBEDDER);
    if (model != null) {
      metadata.put(META_EMBEDDER, model);
    }
    return metadata;
  }

  /**
   * Returns what the index in {@code path} records about its vectors (model and dimension),
   * without opening it for writing; empty when there is no index or it predates the record.
   */
  public static Optional<EmbedderStamp> recordedEmbedder(Path path) {
    if (!Files.isDirectory(path)) {
      return Optional.empty();
    }
    try (FSDirectory directory = FSDirectory.open(path)) {
      if (!DirectoryReader.indexExists(directory)) {
        return Optional.empty();
      }
      Map<String, String> recorded = SegmentInfos.readLatestCommit(directory).getUserData();
      String model = recorded.get(META_EMBEDDER);
      String dimension = recorded.get(META_DIMENSION);
      return model == null || dimension == null ? Optional.empty()
          : Optional.of(new EmbedderStamp(model, Integer.parseInt(dimension)));
    } catch (IOException e) {
      throw new StoreUnavailableException("[VectorDB] cannot read the commit of the Lucene index at " + path + ": "
          + e.getMessage(), e);
    }
  }

  /** Returns the embedding model recorded with the index, if one was. */
  public Optional<String> recordedEmbedderModel() {
    try {
      return Optional.ofNullable(SegmentInfos.readLatestCommit(directory).getUserData().get(META_EMBEDDER));
    } catch (IOException e) {
      throw new StoreUnavailableException("[VectorDB] cannot read the commit of the Lucene index at "
          + config.directory(), e);
    }
  }

  static Codec codec(LuceneConfig config) {
    KnnVectorsFormat format = config.quantization() == Quantization.INT8
        ? new QuantizedHnswVectorsFormat(config.maxConn(), config.beamWidth())
        : new HnswVectorsFormat(config.maxConn(), config.beamWidth());
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  @Override
  public String name() {
    return "lucene";
  }

  @Override
  public int dimension() {
    return config.dimension();
  }

  /** Returns the configuration the index was opened with. */
  public LuceneConfig config() {
    return config;
  }

  @Override
  public UpsertReport upsert(List<Ability> abilities) {
    ensureOpen();
    Map<String, Ability> byId = new LinkedHashMap<>();
    for (Ability ability : abilities) {
      Embedding embedding = ability.embedding();
      if (embedding == null) {
        throw new InvalidInputException("ability '" + ability.abilityId() + "' has no embedding: embed it before "
            + "storing it in the vector index");
      }
      if (embedding.dimension() != config.dimension()) {
        throw new DimensionMismatchException(config.dimension(), embedding.dimension(), "ability '"
            + ability.abilityId() + "' has a " + embedding.dimension() + "-dimension embedding, the index holds "
            + config.dimension());
      }
      byId.remove(ability.abilityId());
      byId.put(ability.abilityId(), ability);
    }
    if (byId.isEmpty()) {
      return UpsertReport.empty();
    }
    WriterSession current = writable();
    try {
      Map<String, Stored> existing = lookup(current, byId.keySet());
      Instant now = clock.instant();
      Map<String, WriteOutcome> outcomes = new LinkedHashMap<>();
      long sequenceNumber = -1;
      for (Ability ability : byId.values()) {
        String hash = ContentHash.of(ability);
        Stored stored = existing.get(ability.abilityId());
        if (stored != null && stored.contentHash().equals(hash)) {
          outcomes.put(ability.abilityId(), WriteOutcome.UNCHANGED);
          continue;
        }
        Instant createdAt = stored != null ? stored.createdAt()
            : ability.createdAt() != null ? ability.createdAt() : now;
        Instant updatedAt = ability.updatedAt() != null ? ability.updatedAt() : now;
        Document document = AbilityDocuments.of(ability.withTimestamps(createdAt, updatedAt), hash);
        sequenceNumber = current.writer.updateDocument(new Term(AbilityDocuments.ID, ability.abilityId()), document);
        outcomes.put(ability.abilityId(), stored == null ? WriteOutcome.INSERTED : WriteOutcome.UPDATED);
      }
      if (sequenceNumber >= 0) {
        current.commits.awaitDurable(sequenceNumber);
      }
      return new UpsertReport(outcomes);
    } catch (IOException | AlreadyClosedException e) {
      throw writeFailure("upsert", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AbilityStoreException("[VectorDB] interrupted while waiting for the commit of an upsert; "
          + "it may or may not be durable", e);
    }
  }

  @Override
  public void delete(Collection<String> abilityIds) {
    ensureOpen();
    if (abilityIds.isEmpty()) {
      return;
    }
    WriterSession current = writable();
    try {
      Term[] terms = abilityIds.stream().map(id -> new Term(AbilityDocuments.ID, id)).toArray(Term[]::new);
      current.commits.awaitDurable(current.writer.deleteDocuments(terms));
    } catch (IOException | AlreadyClosedException e) {
      throw writeFailure("delete", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AbilityStoreException("[VectorDB] interrupted while waiting for the commit of a delete", e);
    }
  }

  /** One terms query for the whole batch, instead of one query per id. */
  @Override
  public List<Ability> getAll(Collection<String> abilityIds) {
    if (abilityIds.isEmpty()) {
      return List.of();
    }
    return read(searcher -> {
      List<BytesRef> terms = abilityIds.stream().distinct().map(BytesRef::new).toList();
      ScoreDoc[] hits = searcher.search(new TermInSetQuery(AbilityDocuments.ID, terms), terms.size()).scoreDocs;
      StoredFields stored = searcher.storedFields();
      List<Ability> abilities = new ArrayList<>(hits.length);
      int[] docs = new int[hits.length];
      for (int i = 0; i < hits.length; i++) {
        docs[i] = hits[i].doc;
        abilities.add(ability(stored, hits[i].doc));
      }
      return withEmbeddings(searcher, abilities, docs);
    });
  }

  @Override
  public Optional<Ability> get(String abilityId) {
    return read(searcher -> {
      TopDocs top = searcher.search(new TermQuery(new Term(AbilityDocuments.ID, abilityId)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      int doc = top.scoreDocs[0].doc;
      return Optional.of(withEmbeddings(searcher, List.of(ability(searcher.storedFields(), doc)), new int[] {doc})
          .get(0));
    });
  }

  @Override
  public List<SearchHit> search(VectorSearch search) {
    ensureOpen();
    if (search.vector() != null && search.vector().dimension() != config.dimension()) {
      throw new DimensionMismatchException(config.dimension(), search.vector().dimension(), "the query vector has "
          + search.vector().dimension() + " dimensions, the index holds " + config.dimension());
    }
    if (search.filter().textContains() != null) {
      throw new InvalidInputException("search does not take a text_contains filter (it would drop ranked results); "
          + "rank by the query text with mode keyword or hybrid, or use a structured query");
    }
    Query filter = FilterQueries.of(search.filter(), null);
    return read(searcher -> {
      List<ScoreDoc> ranked = switch (search.mode()) {
        case VECTOR -> vectorSearch(searcher, search.vector().toArray(), search.k(), filter);
        case KEYWORD -> keywordSearch(searcher, search.text(), search.k(), filter);
        case HYBRID -> hybridSearch(searcher, search, filter);
      };
      StoredFields stored = searcher.storedFields();
      List<SearchHit> hits = new ArrayList<>(ranked.size());
      for (ScoreDoc hit : ranked) {
        hits.add(new SearchHit(ability(stored, hit.doc), Math.min(1.0, Math.max(0.0, hit.score))));
      }
      return hits;
    });
  }

  private List<ScoreDoc> hybridSearch(IndexSearcher searcher, VectorSearch search, @Nullable Query filter)
      throws IOException {
    int depth = Math.max(search.k(), config.fusionDepth());
    List<ScoreDoc> vector = vectorSearch(searcher, search.vector().toArray(), depth, filter);
    List<ScoreDoc> keyword = keywordSearch(searcher, search.text(), depth, filter);
    return RankFusion.fuse(vector, keyword, config, search.k());
  }

  /**
   * Explores {@code max(k, efSearch)} graph candidates (times the oversampling factor when
   * quantised), rescores them exactly when quantised, and keeps the best {@code k}.
   */
  private List<ScoreDoc> vectorSearch(IndexSearcher searcher, float[] vector, int k, @Nullable Query filter)
      throws IOException {
    int candidates = Math.max(k, config.efSearch());
    if (config.quantization() == Quantization.INT8) {
      candidates = Math.max(candidates, k * config.oversample());
    }
    ScoreDoc[] approximate = searcher.search(new KnnFloatVectorQuery(AbilityDocuments.EMBEDDING, vector, candidates,
        filter), candidates).scoreDocs;
    if (config.quantization() == Quantization.INT8) {
      return VectorReads.rescore(searcher, approximate, vector, k);
    }
    return List.of(approximate.length > k ? java.util.Arrays.copyOf(approximate, k) : approximate);
  }

  /**
   * The Lucene query a keyword search for {@code text} within {@code filter} runs, or null when the
   * text has no searchable term: for benchmarks that run the same query through a raw
   * {@link IndexSearcher} beside {@link #search}.
   */
  public @Nullable Query keywordQuery(String text, AbilityFilter filter) {
    return keywordQueries.of(text, FilterQueries.of(filter, null));
  }

  private List<ScoreDoc> keywordSearch(IndexSearcher searcher, @Nullable String text, int k, @Nullable Query filter)
      throws IOException {
    Query query = keywordQueries.of(text == null ? "" : text, filter);
    if (query == null) {
      return List.of();
    }
    ScoreDoc[] top = searcher.search(query, k).scoreDocs;
    if (top.length == 0) {
      return List.of();
    }
    float best = top[0].score;
    List<ScoreDoc> normalised = new ArrayList<>(top.length);
    for (ScoreDoc hit : top) {
      normalised.add(new ScoreDoc(hit.doc, best > 0 ? hit.score / best : 0f));
    }
    return normalised;
  }

  @Override
  public Page<Ability> query(AbilityQuery query) {
    return page(query.filter(), query.afterAbilityId(), query.limit(), false);
  }

  @Override
  public Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("scan limit must be between 1 and 10000, was " + limit);
    }
    return page(AbilityFilter.ALL, afterAbilityId, limit, true);
  }

  private Page<Ability> page(AbilityFilter filter, @Nullable String afterAbilityId, int limit, boolean embeddings) {
    return read(searcher -> {
      Sort byId = new Sort(new SortField(AbilityDocuments.ID, SortField.Type.STRING));
      String text = filter.textContains();
      int batch = text == null ? limit + 1 : Math.max(TEXT_FILTER_BATCH, limit + 1);
      List<Ability> items = new ArrayList<>(limit + 1);
      List<Integer> docs = new ArrayList<>(limit + 1);
      String after = afterAbilityId;
      StoredFields stored = searcher.storedFields();
      while (items.size() <= limit) {
        ScoreDoc[] hits = searcher.search(FilterQueries.orAll(filter, after), batch, byId).scoreDocs;
        for (ScoreDoc hit : hits) {
          Ability ability = ability(stored, hit.doc);
          after = ability.abilityId();
          if (text == null || contains(ability, text)) {
            items.add(ability);
            docs.add(hit.doc);
            if (items.size() > limit) {
              break;
            }
          }
        }
        if (hits.length < batch) {
          break;
        }
      }
      boolean more = items.size() > limit;
      List<Ability> page = more ? items.subList(0, limit) : items;
      if (embeddings) {
        page = withEmbeddings(searcher, page, docs.subList(0, page.size()).stream().mapToInt(Integer::intValue)
            .toArray());
      }
      return new Page<>(page, more ? AbilityQuery.cursorAfter(page.get(limit - 1).abilityId()) : null);
    });
  }

  @Override
  public long count() {
    return read(searcher -> (long) searcher.getIndexReader().numDocs());
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    return read(searcher -> {
      Map<String, long[]> counts = new TreeMap<>(AbilityIdOrder.COMPARATOR);
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        SortedSetDocValues services = leaf.reader().getSortedSetDocValues(AbilityDocuments.SERVICE);
        SortedSetDocValues auth = leaf.reader().getSortedSetDocValues(AbilityDocuments.AUTH);
        if (services == null || auth == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        long privateOrd = auth.lookupTerm(new BytesRef(AbilityDocuments.PRIVATE));
        Map<Long, long[]> byOrd = new HashMap<>();
        for (int doc = services.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
            doc = services.nextDoc()) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          long[] count = byOrd.computeIfAbsent(services.nextOrd(), ord -> new long[2]);
          boolean isPrivate = auth.advanceExact(doc) && auth.nextOrd() == privateOrd;
          count[isPrivate ? 1 : 0]++;
        }
        for (Map.Entry<Long, long[]> entry : byOrd.entrySet()) {
          long[] total = counts.computeIfAbsent(services.lookupOrd(entry.getKey()).utf8ToString(), name -> new long[2]);
          total[0] += entry.getValue()[0];
          total[1] += entry.getValue()[1];
        }
      }
      List<ServiceCount> result = new ArrayList<>(counts.size());
      counts.forEach((service, count) -> result.add(new ServiceCount(service, count[0] + count[1], count[0],
          count[1])));
      return result;
    });
  }

  @Override
  public Health health() {
    if (closed) {
      return Health.down("the Lucene index at " + config.directory() + " is closed");
    }
    try {
      writable();
    } catch (StoreUnavailableException e) {
      return Health.down(String.valueOf(e.getMessage()));
    }
    return Health.up("Lucene " + org.apache.lucene.util.Version.LATEST + " at " + config.directory() + ", "
        + count() + " abilities");
  }

  /** Merges the index into at most {@code maxSegments} segments: faster searches after a bulk load. */
  public void forceMerge(int maxSegments) {
    WriterSession current = writable();
    try {
      current.writer.forceMerge(maxSegments);
      current.commits.awaitDurable(current.writer.commit());
    } catch (IOException | AlreadyClosedException e) {
      throw writeFailure("force merge", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AbilityStoreException("[VectorDB] interrupted during a force merge", e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    WriterSession current = session;
    try {
      if (current.failure() == null) {
        current.close();
      } else {
        current.abandon();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("[VectorDB] cannot close the Lucene index at " + config.directory(), e);
    } finally {
      closeQuietly(directory);
    }
  }

  /** The stored hash and creation time of an ability already in the index. */
  private record Stored(String contentHash, Instant createdAt) {}

  private Map<String, Stored> lookup(WriterSession current, Set<String> abilityIds) throws IOException {
    SearcherManager searchers = current.searchers;
    IndexSearcher searcher = searchers.acquire();
    try {
      List<BytesRef> terms = abilityIds.stream().map(BytesRef::new).toList();
      TopDocs top = searcher.search(new TermInSetQuery(AbilityDocuments.ID, terms), abilityIds.size());
      StoredFields stored = searcher.storedFields();
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      Map<String, Stored> existing = new HashMap<>();
      for (ScoreDoc hit : top.scoreDocs) {
        LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(hit.doc, leaves));
        org.apache.lucene.index.SortedDocValues ids = leaf.reader().getSortedDocValues(AbilityDocuments.ID);
        if (ids == null || !ids.advanceExact(hit.doc - leaf.docBase)) {
          throw new IllegalStateException("document " + hit.doc + " has no ability id");
        }
        Document document = stored.document(hit.doc, Set.of(AbilityDocuments.CONTENT_HASH,
            AbilityDocuments.CREATED_AT));
        existing.put(ids.lookupOrd(ids.ordValue()).utf8ToString(), new Stored(
            document.get(AbilityDocuments.CONTENT_HASH),
            AbilityDocuments.instant(document.getField(AbilityDocuments.CREATED_AT).numericValue().longValue())));
      }
      return existing;
    } finally {
      searchers.release(searcher);
    }
  }

  private static Ability ability(StoredFields stored, int doc) throws IOException {
    return AbilityDocuments.ability(stored, doc);
  }

  private static boolean contains(Ability ability, String text) {
    String needle = text.toLowerCase(Locale.ROOT);
    return ability.abilityName().toLowerCase(Locale.ROOT).contains(needle)
        || ability.description().toLowerCase(Locale.ROOT).contains(needle);
  }

  private static List<Ability> withEmbeddings(IndexSearcher searcher, List<Ability> abilities, int[] docs)
      throws IOException {
    float[][] vectors = VectorReads.vectors(searcher, docs);
    List<Ability> result = new ArrayList<>(abilities.size());
    for (int i = 0; i < abilities.size(); i++) {
      result.add(abilities.get(i).withEmbedding(Embedding.of(vectors[i])));
    }
    return result;
  }

  @FunctionalInterface
  private interface Read<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T read(Read<T> work) {
    ensureOpen();
    // Reads use the current searchers even after the writer failed: they hold the last commit.
    SearcherManager searchers = session.searchers;
    IndexSearcher searcher;
    try {
      searcher = searchers.acquire();
    } catch (IOException | AlreadyClosedException e) {
      throw new StoreUnavailableException("[VectorDB] cannot read the Lucene index at " + config.directory(), e);
    }
    try {
      return work.apply(searcher);
    } catch (IOException | AlreadyClosedException e) {
      throw new StoreUnavailableException("[VectorDB] cannot read the Lucene index at " + config.directory() + ": "
          + e.getMessage(), e);
    } finally {
      try {
        searchers.release(searcher);
      } catch (IOException e) {
        log.warn("[VectorDB] cannot release a searcher: {}", e.getMessage());
      }
    }
  }

  private StoreUnavailableException writeFailure(String operation, Exception failure) {
    return new StoreUnavailableException("[VectorDB] " + operation + " failed: the Lucene index at "
        + config.directory() + " cannot be written (" + failure.getMessage() + "); nothing was acknowledged", failure);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the Lucene index at " + config.directory() + " is closed");
    }
  }

  private static void closeQuietly(@Nullable FSDirectory directory) {
    if (directory != null) {
      try {
        directory.close();
      } catch (IOException e) {
        log.debug("closing {} failed: {}", directory, e.getMessage());
      }
    }
  }
}
