package dev.abilitystore.lucene;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.embed.AbilityText;
import dev.abilitystore.json.AbilityJson;
import java.time.Instant;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene document of an ability, field by field.
 *
 * <p>The embedding is indexed once, as the vector field, and read back from it for {@code get}
 * and {@code scan}; the rest of the ability is stored as its JSON. Ids are indexed and kept as
 * sorted doc values, so pages and scans run in byte order of their UTF-8, which is code-point order.
 */
final class AbilityDocuments {
  static final String ID = "id";
  static final String VECTOR_ID = "vector_id";
  static final String SERVICE = "service";
  static final String AUTH = "auth";
  static final String NAME = "name";
  static final String SERVICE_TEXT = "service_text";
  static final String DESCRIPTION = "description";
  /** Display name, tags, method, URL path and parameter names: {@link AbilityText#keywords}. */
  static final String DETAILS = "details";
  static final String EMBEDDING = "embedding";
  static final String JSON = "json";
  static final String CONTENT_HASH = "content_hash";
  static final String CREATED_AT = "created_at";
  static final String UPDATED_AT = "updated_at";

  static final String PRIVATE = "private";
  static final String PUBLIC = "public";
  static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.COSINE;

  private AbilityDocuments() {}

  /** Returns the document of an ability that carries an embedding and both timestamps. */
  static Document of(Ability ability, String contentHash) {
    Embedding embedding = java.util.Objects.requireNonNull(ability.embedding(), "embedding");
    Instant createdAt = java.util.Objects.requireNonNull(ability.createdAt(), "createdAt");
    Instant updatedAt = java.util.Objects.requireNonNull(ability.updatedAt(), "updatedAt");
    Document document = new Document();
    document.add(new StringField(ID, ability.abilityId(), Field.Store.NO));
    document.add(new SortedDocValuesField(ID, new BytesRef(ability.abilityId())));
    document.add(new IntField(VECTOR_ID, ability.vectorId(), Field.Store.NO));
    document.add(new KeywordField(SERVICE, ability.serviceName(), Field.Store.NO));
    document.add(new KeywordField(AUTH, ability.dynamicHeadersRequired() ? PRIVATE : PUBLIC, Field.Store.NO));
    document.add(new TextField(NAME, ability.abilityName(), Field.Store.NO));
    document.add(new TextField(SERVICE_TEXT, ability.serviceName(), Field.Store.NO));
    document.add(new TextField(DESCRIPTION, ability.description(), Field.Store.NO));
    document.add(new TextField(DETAILS, AbilityText.keywords(ability), Field.Store.NO));
    document.add(new KnnFloatVectorField(EMBEDDING, embedding.toArray(), SIMILARITY));
    document.add(new StoredField(JSON, new BytesRef(AbilityJson.toJsonBytes(ability, false))));
    document.add(new StoredField(CONTENT_HASH, contentHash));
    document.add(new LongField(CREATED_AT, micros(createdAt), Field.Store.YES));
    document.add(new LongField(UPDATED_AT, micros(updatedAt), Field.Store.NO));
    return document;
  }

  /** Returns the ability stored in a document, without its embedding. */
  static Ability ability(Document stored) {
    BytesRef json = stored.getBinaryValue(JSON);
    return json != null ? AbilityJson.fromJson(json.bytes, json.offset, json.length)
        : AbilityJson.fromJson(stored.get(JSON));
  }

  /** Returns the ability stored for {@code doc}, reading only its JSON, straight from the stored bytes. */
  static Ability ability(StoredFields stored, int doc) throws IOException {
    JsonVisitor visitor = new JsonVisitor();
    stored.document(doc, visitor);
    if (visitor.ability == null) {
      throw new IllegalStateException("document " + doc + " holds no ability");
    }
    return visitor.ability;
  }

  /** Reads the stored JSON field and stops; UTF-8 bytes are parsed as they are, without a String in between. */
  private static final class JsonVisitor extends StoredFieldVisitor {
    @Nullable Ability ability;

    @Override
    public Status needsField(FieldInfo field) {
      return field.name.equals(JSON) ? Status.YES : ability == null ? Status.NO : Status.STOP;
    }

    @Override
    public void binaryField(FieldInfo field, byte[] value) {
      ability = AbilityJson.fromJson(value, 0, value.length);
    }

    @Override
    public void stringField(FieldInfo field, String value) {
      ability = AbilityJson.fromJson(value);
    }
  }

  /** Microseconds since the epoch: the precision PostgreSQL keeps, so filters agree across stores. */
  static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
