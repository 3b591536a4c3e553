package dev.abilitystore.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.jspecify.annotations.Nullable;

/**
 * BM25 queries from user text. The text is analysed like the indexed fields and each term
 * becomes a plain term query on name (boosted), service and description: nothing the user
 * types is read as Lucene query syntax, so {@code title:x AND (y} is just four words.
 */
final class KeywordQueries {
  private final Analyzer analyzer = new AbilityAnalyzer(true);
  private final float nameBoost;
  private final int maxTerms;

  KeywordQueries(float nameBoost, int maxTerms) {
    this.nameBoost = nameBoost;
    this.maxTerms = maxTerms;
  }

  /** Returns the query for {@code text} within {@code filter}, or null when the text has no searchable term. */
  @Nullable Query of(String text, @Nullable Query filter) {
    Set<String> terms = terms(text);
    if (terms.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder words = new BooleanQuery.Builder();
    for (String term : terms) {
      words.add(new BoostQuery(new TermQuery(new Term(AbilityDocuments.NAME, term)), nameBoost),
          BooleanClause.Occur.SHOULD);
      words.add(new TermQuery(new Term(AbilityDocuments.SERVICE_TEXT, term)), BooleanClause.Occur.SHOULD);
      words.add(new TermQuery(new Term(AbilityDocuments.DESCRIPTION, term)), BooleanClause.Occur.SHOULD);
    }
    if (filter == null) {
      return words.build();
    }
    return new BooleanQuery.Builder()
        .add(words.build(), BooleanClause.Occur.MUST)
        .add(filter, BooleanClause.Occur.FILTER)
        .build();
  }

  Set<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream(AbilityDocuments.DESCRIPTION, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken() && terms.size() < maxTerms) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing query text", e);
    }
    return terms;
  }
}
