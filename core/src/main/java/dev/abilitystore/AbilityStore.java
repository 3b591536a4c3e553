package dev.abilitystore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.abilitystore.embed.CachingEmbedder;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.internal.Cooldown;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.replication.Backoff;
import dev.abilitystore.replication.ParkedWrites;
import dev.abilitystore.replication.ReplicationQueue;
import dev.abilitystore.replication.Replicator;
import dev.abilitystore.replication.SecondaryWriter;
import dev.abilitystore.search.Searcher;
import dev.abilitystore.sync.Reconciler;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.sync.Tombstones;
import dev.abilitystore.usage.FileUsageStore;
import dev.abilitystore.usage.UsageRecorder;
import dev.abilitystore.usage.UsageReport;
import dev.abilitystore.usage.UsageStore;
import dev.abilitystore.write.AbilityPreparer;
import dev.abilitystore.write.IdLocks;
import dev.abilitystore.write.WriteIntents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue of abilities over two stores: a vector index (the primary) and, optionally,
 * PostgreSQL (the secondary). This is the class Java applications embed, as the original
 * system's {@code getVectorDBClient().storeAbility(...)} was.
 *
 * <p><b>Writes</b> ({@link #store}, {@link #delete}) go to the primary first, synchronously: if
 * it fails, the call fails and nothing is acknowledged. Then to PostgreSQL, synchronously and
 * bounded by a timeout while it is healthy, otherwise to a durable replication queue on disk that
 * a background replicator drains in order, with backoff, once PostgreSQL is back. A call that
 * returns normally has put every write in PostgreSQL or, fsynced, in the queue. Writes of one
 * ability id are serialised across both steps so that both stores see them in the same order.
 * While the queue is empty, PostgreSQL prepares a stored batch in a transaction side by side with
 * the primary's write and commits it only after the primary succeeded ({@link
 * SecondaryWriter#upsertBeside}), so a batch takes about as long as the slower store, not both.
 *
 * <p><b>Reads</b>: {@link #get} from a cache, then the primary (the source of truth; PostgreSQL
 * may lag while writes are queued), then PostgreSQL if the primary fails. {@link #query} from
 * PostgreSQL while it is healthy and caught up, else from the primary. {@link #search} from the
 * primary, else by exact scan of PostgreSQL's embeddings, marked {@code degraded}.
 *
 * <p><b>Reconciliation</b>: {@link #sync} compares both stores by content and repairs them.
 *
 * <p>The store owns the adapters it is built with and closes them in {@link #close} (and when
 * {@link Builder#build} fails).
 * Thread-safe.
 */
public final class AbilityStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AbilityStore.class);
  /** Batches up to this size log one line per ability at INFO, larger ones a summary. */
  private static final int PER_ABILITY_INFO_BATCH = 10;
  private static final long GET_CACHE_BYTES = 64L << 20;
  private static final Duration USAGE_FLUSH_INTERVAL = Duration.ofSeconds(10);
  private static final int USAGE_TOP = 10;
  /** Abilities checked at once when settling writes that were under way at a stop. */
  private static final int SETTLE_BATCH = 500;

  private final VectorIndex primary;
  private final RecordStore secondary;
  private final Embedder embedder;
  private final AbilityPreparer preparer;
  private final InstantSource clock;
  private final IdLocks locks = new IdLocks();
  private final @Nullable ReplicationQueue queue;
  private final @Nullable Replicator replicator;
  private final @Nullable ParkedWrites parked;
  /** Ids of writes under way, for a primary whose scans cannot see what only it holds; else null. */
  private final @Nullable WriteIntents intents;
  private final ScheduledExecutorService scheduler;
  private final SecondaryWriter secondaryWriter;
  private final @Nullable Tombstones tombstones;
  private final @Nullable Reconciler reconciler;
  private final Searcher searcher;
  private final Duration secondaryTimeout;
  private final Cooldown secondaryReadCooldown;
  private final UsageStore usageStore;
  private final UsageRecorder usage;
  private final Cache<String, Ability> gets;
  /** How many writes have ended, for {@link #get} to tell whether one overtook its read. */
  private final AtomicLong cacheWrites = new AtomicLong();
  private final Object syncLock = new Object();
  private final Object settlingIntents = new Object();
  private volatile @Nullable SyncReport lastSync;

  private AbilityStore(Builder builder) {
    this.primary = Objects.requireNonNull(builder.primary, "a primary VectorIndex is required");
    this.secondary = builder.secondary;
    Embedder given = Objects.requireNonNull(builder.embedder, "an Embedder is required");
    this.embedder = given instanceof CachingEmbedder ? given
        : new CachingEmbedder(given, CachingEmbedder.DEFAULT_MAXIMUM_SIZE);
    if (embedder.dimension() != primary.dimension()) {
      throw new DimensionMismatchException(primary.dimension(), embedder.dimension(), "the embedder " + embedder.model()
          + " makes " + embedder.dimension() + "-dimension vectors but the " + primary.name() + " index holds "
          + primary.dimension() + ": configure the matching embedder, or run `abilitystore reembed`");
    }
    this.preparer = new AbilityPreparer(embedder);
    this.clock = builder.clock;
    this.gets = Caffeine.newBuilder()
        .maximumWeight(GET_CACHE_BYTES)
        .weigher((String id, Ability ability) -> 1024 + (ability.embedding() == null ? 0 : 4 * ability.embedding().dimension()))
        .build();
    this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon()
        .name("abilitystore-background-", 0).factory());
    this.usageStore = builder.usageStore != null ? builder.usageStore
        : builder.dataDirectory != null ? FileUsageStore.open(builder.dataDirectory) : UsageStore.inMemory();
    this.usage = new UsageRecorder(usageStore, clock);
    if (secondary.enabled()) {
      Path dataDirectory = Objects.requireNonNull(builder.dataDirectory,
          "a data directory is required with PostgreSQL: the replication queue and tombstones live there");
      this.queue = ReplicationQueue.open(dataDirectory.resolve("replication-queue"), builder.queueMaxBytes, clock);
      this.parked = ParkedWrites.open(dataDirectory.resolve("replication-queue"), clock);
      this.replicator = new Replicator(queue, parked, secondary, scheduler, builder.backoff, ThreadLocalRandom.current(),
          clock, Replicator.DEFAULT_BATCH_SIZE);
      this.tombstones = Tombstones.open(dataDirectory.resolve("tombstones"), builder.tombstoneRetention, clock);
      this.intents = primary.scansWhatItHolds() ? null : WriteIntents.open(dataDirectory.resolve("replication-queue"));
    } else {
      this.intents = null;
      this.queue = null;
      this.parked = null;
      this.replicator = null;
      this.tombstones = null;
    }
    this.secondaryWriter = new SecondaryWriter(secondary, queue, replicator, builder.secondaryTimeout);
    this.reconciler = secondary.enabled()
        ? new Reconciler(primary, secondary, secondaryWriter, locks, Objects.requireNonNull(tombstones), clock) : null;
    this.searcher = new Searcher(primary, secondary, embedder, clock);
    this.secondaryTimeout = builder.secondaryTimeout;
    this.secondaryReadCooldown = new Cooldown(Searcher.COOL_DOWN, clock);
  }

  /** Returns a builder; a primary index and an embedder are required. */
  public static Builder builder() {
    return new Builder();
  }

  private void start(boolean syncOnStart) {
    log.info("[VectorDB] Ability store ready: primary {} ({} dimensions), embedder {}, PostgreSQL {}", primary.name(),
        primary.dimension(), embedder.model(), secondary.enabled() ? "configured" : "not configured");
    scheduler.scheduleWithFixedDelay(usage::flush, USAGE_FLUSH_INTERVAL.toMillis(), USAGE_FLUSH_INTERVAL.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    if (!secondary.enabled()) {
      return;
    }
    checkSecondaryEmbedder();
    Objects.requireNonNull(replicator).start();
    if (syncOnStart) {
      Thread.ofVirtual().name("abilitystore-startup-sync").start(this::syncAfterStart);
    } else if (intents != null && !intents.unsettled().isEmpty()) {
      Thread.ofVirtual().name("abilitystore-startup-settle").start(() -> {
        try {
          settleWriteIntents();
        } catch (RuntimeException e) {
          log.warn("[Sync] Writes under way when the store last stopped are checked at the next sync: {}",
              e.getMessage());
        }
      });
    }
  }

  private void checkSecondaryEmbedder() {
    EmbedderStamp ours = EmbedderStamp.of(embedder);
    Optional<EmbedderStamp> recorded;
    try {
      recorded = secondary.recordedEmbedder();
    } catch (EmbedderMismatchException | DimensionMismatchException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("[DB] PostgreSQL is unreachable at start-up ({}); writes are queued until it is back", e.getMessage());
      return;
    }
    if (recorded.isPresent() && !compatible(recorded.get(), ours)) {
      throw new EmbedderMismatchException(recorded.get().model(), ours.model(), "[DB] the embeddings in PostgreSQL "
          + "were made by " + recorded.get() + " but the store is configured for " + ours + "; vectors of two "
          + "models cannot be compared: configure " + recorded.get().model() + " again, or run `abilitystore reembed` "
          + "to re-embed every ability with " + ours.model());
    }
    if (recorded.isEmpty()) {
      List<Ability> sample = secondary.scan(null, 1).items();
      Embedding embedding = sample.isEmpty() ? null : sample.get(0).embedding();
      if (embedding != null && embedding.dimension() != ours.dimension()) {
        throw new DimensionMismatchException(ours.dimension(), embedding.dimension(), "[DB] PostgreSQL holds "
            + embedding.dimension() + "-dimension embeddings (ability " + sample.get(0).abilityId() + ") but the "
            + "store is configured for " + ours + ": configure the embedder that made them, or run "
            + "`abilitystore reembed`");
      }
      secondary.recordEmbedder(ours);
    }
  }

  /** Models match by name, except that {@code none} (callers bring vectors) matches any model of its dimension. */
  private static boolean compatible(EmbedderStamp recorded, EmbedderStamp configured) {
    if (recorded.dimension() != configured.dimension()) {
      return false;
    }
    return recorded.model().equals(configured.model()) || configured.model().equals("none");
  }

  /**
   * The reconciliation after a start: primary to PostgreSQL, except when the index is empty and
   * PostgreSQL is not — a new data directory beside an existing database, such as the original
   * system's: then the index is filled from PostgreSQL instead of PostgreSQL being emptied to
   * match it. Runs in the background after {@link Builder#build} when {@link
   * Builder#syncOnStart} is set; a failure is logged, not thrown.
   */
  public void syncAfterStart() {
    try {
      SyncDirection direction = primary.count() == 0 && secondary.count(AbilityFilter.ALL) > 0
          ? SyncDirection.SECONDARY_TO_PRIMARY : SyncDirection.PRIMARY_TO_SECONDARY;
      SyncReport report = sync(direction, false, SyncProgress.NONE);
      log.info("[Sync] Start-up reconciliation ({}): {} repaired in {} ms", direction.wireName(), report.repaired(),
          report.durationMs());
    } catch (RuntimeException e) {
      log.warn("[Sync] Start-up reconciliation skipped: {}", e.getMessage());
    }
  }

  /**
   * Stores abilities: validates, redacts credentials, embeds those without an embedding, then
   * writes the primary and PostgreSQL (or the replication queue). All or nothing for invalid
   * input: one invalid ability fails the call before any store is touched.
   *
   * @throws InvalidAbilityException naming the first invalid ability and every rule it broke
   * @throws StoreUnavailableException if the primary failed; nothing was acknowledged
   * @throws dev.abilitystore.replication.ReplicationQueueFullException if PostgreSQL is down and
   *     the queue is full
   */
  public StoreResult store(List<Ability> abilities) {
    long started = System.nanoTime();
    if (abilities.isEmpty()) {
      return new StoreResult(List.of(), 0);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Map<String, Ability> byId = new LinkedHashMap<>();
    for (Ability ability : preparer.prepare(abilities)) {
      // Given timestamps are cut to microseconds as the stamped ones are: PostgreSQL keeps no finer.
      Ability stamped = ability.withTimestamps(
          ability.createdAt() != null ? ability.createdAt().truncatedTo(ChronoUnit.MICROS) : now,
          ability.updatedAt() != null ? ability.updatedAt().truncatedTo(ChronoUnit.MICROS) : now);
      byId.remove(stamped.abilityId());
      byId.put(stamped.abilityId(), stamped);
    }
    List<Ability> batch = List.copyOf(byId.values());
    logStoring(batch);
    UpsertReport primaryReport;
    SecondaryState secondaryState;
    try (IdLocks.Held held = locks.lock(byId.keySet()); WriteInProgress write = new WriteInProgress(byId.keySet())) {
      secondaryWriter.ensureRoomFor(batch);
      SecondaryWriter.Written<UpsertReport> written = secondaryWriter.upsertBeside(batch, () -> {
        UpsertReport report = primary.upsert(batch);
        logStored(batch.size());
        if (tombstones != null) {
          tombstones.forget(byId.keySet());
        }
        return report;
      });
      primaryReport = written.primary();
      secondaryState = written.secondary();
      write.ended();
    }
    List<StoredAbility> results = new ArrayList<>(batch.size());
    for (Ability ability : batch) {
      WriteOutcome outcome = primaryReport.outcomes().getOrDefault(ability.abilityId(), WriteOutcome.UNCHANGED);
      results.add(new StoredAbility(ability.abilityId(), ability.vectorId(), outcome, secondaryState));
    }
    return new StoreResult(results, millisSince(started));
  }

  /** Stores one ability; see {@link #store(List)}. */
  public StoredAbility store(Ability ability) {
    return store(List.of(ability)).results().get(0);
  }

  /**
   * Deletes abilities from both stores (from PostgreSQL through the queue when it is down). Ids
   * that do not exist are ignored. A tombstone is kept so that a bidirectional sync does not bring
   * them back from a stale copy.
   *
   * @throws StoreUnavailableException if the primary failed; nothing was acknowledged
   */
  public DeleteResult delete(Collection<String> abilityIds) {
    long started = System.nanoTime();
    List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(abilityIds));
    if (ids.isEmpty()) {
      return new DeleteResult(List.of(), secondary.enabled() ? SecondaryState.STORED : SecondaryState.DISABLED, 0);
    }
    SecondaryState secondaryState;
    try (IdLocks.Held held = locks.lock(ids); WriteInProgress write = new WriteInProgress(ids)) {
      primary.delete(ids);
      log.info("[VectorDB] Deleted {} abilities from {}: {}", ids.size(), primary.name(),
          ids.size() <= PER_ABILITY_INFO_BATCH ? ids : ids.subList(0, PER_ABILITY_INFO_BATCH) + "...");
      if (tombstones != null) {
        tombstones.record(ids, clock.instant().truncatedTo(ChronoUnit.MICROS));
      }
      secondaryState = secondaryWriter.delete(ids);
      write.ended();
    }
    return new DeleteResult(ids, secondaryState, millisSince(started));
  }

  /** Returns the ability with this id, with its embedding. */
  public Optional<Ability> get(String abilityId) {
    Ability cached = gets.getIfPresent(abilityId);
    if (cached != null) {
      usage.fetched(cached);
      return Optional.of(cached);
    }
    long writesBefore = cacheWrites.get();
    Optional<Ability> found;
    try {
      found = primary.get(abilityId);
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      if (!secondary.enabled()) {
        throw e;
      }
      log.warn("[VectorDB] get {} failed in {} ({}); reading PostgreSQL's copy", abilityId, primary.name(),
          e.getMessage());
      return secondary.get(abilityId);
    }
    if (found.isPresent()) {
      gets.asMap().putIfAbsent(abilityId, found.get());
      if (cacheWrites.get() != writesBefore) {
        // A write may have changed the ability after it was read, and forgotten it before the put.
        gets.invalidate(abilityId);
      }
      usage.fetched(found.get());
    }
    return found;
  }

  /**
   * A write of abilities whose locks are held, until both stores have it or it failed. Opening it
   * records the ids in {@link #intents} when the primary needs them. Closing it makes {@link #get}
   * forget what it cached of them — the count goes up before the entries go, so that a get that
   * read an older version before the write either sees the count changed or has put its copy
   * before it is forgotten — and ends the intents: done, or undecided when {@link #ended} was not
   * called.
   */
  private final class WriteInProgress implements AutoCloseable {
    private final Collection<String> abilityIds;
    private boolean ended;

    WriteInProgress(Collection<String> abilityIds) {
      this.abilityIds = abilityIds;
      if (intents != null) {
        intents.record(abilityIds);
      }
    }

    /** Both stores have the write, or PostgreSQL's copy is queued. */
    void ended() {
      ended = true;
    }

    @Override
    public void close() {
      cacheWrites.incrementAndGet();
      gets.invalidateAll(abilityIds);
      if (intents != null) {
        if (ended) {
          intents.done(abilityIds);
        } else {
          intents.undecided(abilityIds);
        }
      }
    }
  }

  /**
   * Makes PostgreSQL agree with the primary on the abilities whose writes were under way when the
   * process stopped, or failed: copies what the primary holds of each, deletes the others. Only
   * for a primary whose scans cannot see what it alone holds, where a sync would never find them.
   */
  private void settleWriteIntents() {
    WriteIntents intents = this.intents;
    if (intents == null) {
      return;
    }
    // One at a time: serve's start-up sync and the store's own start-up check may both get here.
    synchronized (settlingIntents) {
      List<String> unsettled = intents.unsettled();
      for (int start = 0; start < unsettled.size(); start += SETTLE_BATCH) {
        List<String> ids = unsettled.subList(start, Math.min(unsettled.size(), start + SETTLE_BATCH));
        try (IdLocks.Held held = locks.lock(ids)) {
          List<Ability> inPrimary = primary.getAll(ids);
          Set<String> present = inPrimary.stream().map(Ability::abilityId).collect(Collectors.toSet());
          secondaryWriter.upsert(inPrimary);
          secondaryWriter.delete(ids.stream().filter(id -> !present.contains(id)).toList());
        }
        intents.settled(ids);
      }
      if (!unsettled.isEmpty()) {
        log.info("[Sync] PostgreSQL agrees with the primary again on the {} abilities whose writes were under way "
            + "when the store last stopped, or failed", unsettled.size());
      }
    }
  }

  /**
   * Returns one page of abilities passing the query's filter, in id order: from PostgreSQL while
   * it is healthy and holds every acknowledged write, otherwise from the primary.
   */
  public Page<Ability> query(AbilityQuery query) {
    if (secondary.enabled() && Objects.requireNonNull(queue).depth() == 0 && !secondaryReadCooldown.active()) {
      try {
        return secondary.query(query);
      } catch (InvalidInputException e) {
        throw e;
      } catch (RuntimeException e) {
        secondaryReadCooldown.start();
        log.warn("[DB] query failed in PostgreSQL ({}); answering from {} for the next {} s", e.getMessage(),
            primary.name(), secondaryReadCooldown.length().toSeconds());
      }
    }
    return primary.query(query);
  }

  /** Returns the ability counts per service, from the primary. */
  public List<ServiceCount> serviceCounts() {
    return primary.serviceCounts();
  }

  /** Searches by meaning, keyword or both; see {@link Searcher} for the failover. */
  public SearchResult search(SearchRequest request) {
    SearchResult result = searcher.search(request);
    usage.searched(result.hits());
    return result;
  }

  /** Returns how often abilities were found and fetched: the {@code top} most used and every service. */
  public UsageReport usage(int top) {
    return usage.report(top);
  }

  /**
   * Compares both stores by content and repairs them in {@code direction}, after delivering
   * what the replication queue holds. One sync runs at a time.
   *
   * @throws InvalidInputException if no PostgreSQL is configured
   * @throws StoreUnavailableException if a store cannot be reached or the queue cannot be delivered
   */
  public SyncReport sync(SyncDirection direction, boolean dryRun, SyncProgress progress) {
    if (reconciler == null) {
      throw new InvalidInputException("sync needs PostgreSQL: set DATABASE_URL");
    }
    synchronized (syncLock) {
      if (!dryRun) {
        drainQueue();
        settleWriteIntents();
      }
      SyncReport report = reconciler.run(direction, dryRun, progress);
      if (!dryRun) {
        cacheWrites.incrementAndGet();
        gets.invalidateAll();
        settleParkedWrites();
      }
      lastSync = report;
      return report;
    }
  }

  /** Primary-to-secondary sync, not a dry run. */
  public SyncReport sync() {
    return sync(SyncDirection.PRIMARY_TO_SECONDARY, false, SyncProgress.NONE);
  }

  /**
   * Writes the primary's copy of each ability PostgreSQL once refused for good again, and forgets
   * those on which both stores then agree; those it still refuses stay set aside. The ids are
   * known, so this does not depend on the sync's scans seeing them (Infraxa lists only the ids
   * PostgreSQL holds).
   */
  private void settleParkedWrites() {
    try {
      // This sync's own repairs that PostgreSQL refuses are set aside only as the queue delivers them.
      drainQueue();
    } catch (StoreUnavailableException e) {
      log.warn("[Sync] the repairs queued for PostgreSQL are delivered later: {}", e.getMessage());
      return;
    }
    ParkedWrites parked = Objects.requireNonNull(this.parked);
    if (parked.count() > 0) {
      parked.resolve(this::redeliverFromPrimary);
    }
  }

  /** True when PostgreSQL holds what the primary holds of the ability, after writing it if it did not. */
  private boolean redeliverFromPrimary(String abilityId) {
    try (IdLocks.Held held = locks.lock(List.of(abilityId))) {
      if (Objects.requireNonNull(queue).depth() > 0) {
        return false; // a queued write of the id could land after this one
      }
      Optional<Ability> inPrimary = primary.get(abilityId);
      if (inPrimary.map(ContentHash::of).equals(secondary.get(abilityId).map(ContentHash::of))) {
        return true;
      }
      if (inPrimary.isPresent()) {
        secondary.upsert(List.of(inPrimary.get()));
      } else {
        secondary.delete(List.of(abilityId));
      }
      return true;
    } catch (StoreRefusedException e) {
      log.warn("[Sync] PostgreSQL still refuses {}; it stays set aside: {}", abilityId, e.getMessage());
      return false;
    }
  }

  private void drainQueue() {
    ReplicationQueue queue = Objects.requireNonNull(this.queue);
    Replicator replicator = Objects.requireNonNull(this.replicator);
    while (queue.depth() > 0) {
      try {
        if (replicator.drainOnce() == 0) {
          return;
        }
      } catch (RuntimeException e) {
        throw new StoreUnavailableException("[Sync] cannot reconcile: " + queue.depth() + " queued writes could not be "
            + "delivered to PostgreSQL (" + e.getMessage() + ")", e);
      }
    }
  }

  /** Returns counts, health, the replication queue's state and the last sync report. */
  public StoreStats stats() {
    Long primaryCount = countOrNull(primary::count);
    Long secondaryCount = secondary.enabled() ? countOrNull(() -> secondary.count(AbilityFilter.ALL)) : null;
    UsageReport usageReport;
    try {
      usageReport = usage.report(USAGE_TOP);
    } catch (RuntimeException e) {
      usageReport = null;
    }
    return new StoreStats(primary.name(), primaryCount, healthOf(primary::health), secondaryCount,
        healthOf(secondary::health), replicator == null ? null : replicator.status(), lastSync,
        EmbedderStamp.of(embedder), usageReport);
  }

  /** A health check that throws instead of answering is a store that cannot serve. */
  private static Health healthOf(java.util.function.Supplier<Health> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return Health.down(String.valueOf(e.getMessage()));
    }
  }

  /** Returns whether the primary and, when configured, PostgreSQL can serve. */
  public Map<String, Health> health() {
    Map<String, Health> health = new LinkedHashMap<>();
    health.put("primary", healthOf(primary::health));
    health.put("secondary", healthOf(secondary::health));
    return health;
  }

  /** Returns the replication queue's state, or empty when PostgreSQL is disabled. */
  public Optional<Replicator.Status> replication() {
    return replicator == null ? Optional.empty() : Optional.of(replicator.status());
  }

  /**
   * Returns the writes PostgreSQL refused for good and that wait, set aside, for the operator to
   * fix their cause and sync; empty without PostgreSQL.
   */
  public List<ParkedWrites.Parked> parkedWrites() {
    return parked == null ? List.of() : parked.list();
  }

  /** Returns the embedder that fills in missing embeddings and embeds queries. */
  public Embedder embedder() {
    return embedder;
  }

  /** Returns the primary index. */
  public VectorIndex primary() {
    return primary;
  }

  /** Returns the secondary store, {@link RecordStore#disabled()} when none is configured. */
  public RecordStore secondary() {
    return secondary;
  }

  private static @Nullable Long countOrNull(java.util.function.LongSupplier count) {
    try {
      return count.getAsLong();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Stops the replicator, letting a delivery in progress finish for up to the secondary timeout
   * (queued writes stay on disk for the next start), and closes both stores.
   */
  @Override
  public void close() {
    if (replicator != null) {
      replicator.close();
    }
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(secondaryTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
    usage.flush();
    usageStore.close();
    secondaryWriter.close();
    if (parked != null) {
      parked.close();
    }
    if (queue != null) {
      queue.close();
    }
    if (intents != null) {
      intents.close();
    }
    if (tombstones != null) {
      tombstones.close();
    }
    primary.close();
    secondary.close();
  }

  private void logStoring(List<Ability> batch) {
    if (batch.size() <= PER_ABILITY_INFO_BATCH) {
      for (Ability ability : batch) {
        log.info("[VectorDB] Storing ability: {}", ability.abilityName());
        log.info("[VectorDB] Generated vector ID: {}", ability.vectorId());
      }
    } else {
      log.info("[VectorDB] Storing {} abilities", batch.size());
    }
  }

  private void logStored(int size) {
    if (size <= PER_ABILITY_INFO_BATCH) {
      for (int i = 0; i < size; i++) {
        log.info("[VectorDB] Successfully stored ability in {}", primary.name());
      }
    } else {
      log.info("[VectorDB] Successfully stored {} abilities in {}", size, primary.name());
    }
  }

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Builds an {@link AbilityStore}; not thread-safe. */
  public static final class Builder {
    private @Nullable VectorIndex primary;
    private RecordStore secondary = RecordStore.disabled();
    private @Nullable Embedder embedder;
    private @Nullable Path dataDirectory;
    private Duration secondaryTimeout = Duration.ofSeconds(5);
    private long queueMaxBytes = ReplicationQueue.DEFAULT_MAX_BYTES;
    private Backoff backoff = Backoff.DEFAULT;
    private Duration tombstoneRetention = Tombstones.DEFAULT_RETENTION;
    private boolean syncOnStart = true;
    private @Nullable UsageStore usageStore;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /** The vector index every write goes to first and searches are answered from. Required. */
    public Builder primary(VectorIndex primary) {
      this.primary = primary;
      return this;
    }

    /** PostgreSQL (or another record store); {@link RecordStore#disabled()} by default. */
    public Builder secondary(RecordStore secondary) {
      this.secondary = secondary;
      return this;
    }

    /** The embedder of abilities without embeddings and of query text. Required. */
    public Builder embedder(Embedder embedder) {
      this.embedder = embedder;
      return this;
    }

    /** Where the replication queue and the tombstones live; required with a secondary. */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
      return this;
    }

    /**
     * The longest a direct write to PostgreSQL may take, counted from the end of the primary's
     * write beside which it runs, before it is queued instead; 5 s by default.
     */
    public Builder secondaryTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new InvalidInputException("the secondary timeout must be positive, was " + timeout);
      }
      this.secondaryTimeout = timeout;
      return this;
    }

    /** The replication queue's size limit in bytes; 1 GiB by default. */
    public Builder queueMaxBytes(long maxBytes) {
      this.queueMaxBytes = maxBytes;
      return this;
    }

    /** How the replicator waits between failed deliveries; 0.5 s doubling to 10 s by default. */
    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /** How long deletions are remembered for bidirectional sync; 30 days by default. */
    public Builder tombstoneRetention(Duration retention) {
      this.tombstoneRetention = retention;
      return this;
    }

    /** Whether to reconcile primary to PostgreSQL in the background after start-up; true by default. */
    public Builder syncOnStart(boolean syncOnStart) {
      this.syncOnStart = syncOnStart;
      return this;
    }

    /**
     * Where usage counts are kept; by default {@code usage.json} in the data directory, or
     * memory when there is none. The store closes it.
     */
    public Builder usageStore(UsageStore usageStore) {
      this.usageStore = usageStore;
      return this;
    }

    /** The clock of timestamps and queue ages; the system clock by default. */
    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Opens the store: the replication queue (recovering what it holds) and its replicator,
     * and checks that PostgreSQL's embeddings were made by this embedder.
     *
     * @throws EmbedderMismatchException if PostgreSQL's vectors come from another model
     * @throws DimensionMismatchException if the embedder's dimension is not the index's
     */
    public AbilityStore build() {
      AbilityStore store;
      try {
        store = new AbilityStore(this);
      } catch (RuntimeException e) {
        closeAdapters();
        throw e;
      }
      try {
        store.start(syncOnStart);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    }

    private void closeAdapters() {
      if (usageStore != null) {
        usageStore.close();
      }
      if (primary != null) {
        primary.close();
      }
      secondary.close();
    }
  }
}
