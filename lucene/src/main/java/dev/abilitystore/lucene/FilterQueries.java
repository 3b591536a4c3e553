package dev.abilitystore.lucene;

import dev.abilitystore.AbilityFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.jspecify.annotations.Nullable;

/**
 * Structured filters as Lucene queries. {@code textContains} is not among them: a substring of
 * free text is no term, so the index checks it on the stored ability instead.
 */
final class FilterQueries {
  private FilterQueries() {}

  /** Returns the filter as a query, or null when it lets every ability through. */
  static @Nullable Query of(AbilityFilter filter, @Nullable String afterAbilityId) {
    List<Query> clauses = new ArrayList<>();
    if (!filter.serviceNames().isEmpty()) {
      clauses.add(services(filter.serviceNames()));
    }
    if (filter.dynamicHeadersRequired() != null) {
      clauses.add(new TermQuery(new Term(AbilityDocuments.AUTH,
          filter.dynamicHeadersRequired() ? AbilityDocuments.PRIVATE : AbilityDocuments.PUBLIC)));
    }
    range(clauses, AbilityDocuments.CREATED_AT, filter.createdFrom(), filter.createdBefore());
    range(clauses, AbilityDocuments.UPDATED_AT, filter.updatedFrom(), filter.updatedBefore());
    if (afterAbilityId != null) {
      clauses.add(TermRangeQuery.newStringRange(AbilityDocuments.ID, afterAbilityId, null, false, true));
    }
    if (clauses.isEmpty()) {
      return null;
    }
    if (clauses.size() == 1) {
      return clauses.get(0);
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    clauses.forEach(clause -> query.add(clause, BooleanClause.Occur.FILTER));
    return query.build();
  }

  /** Returns the filter as a query that matches every ability when the filter is empty. */
  static Query orAll(AbilityFilter filter, @Nullable String afterAbilityId) {
    Query query = of(filter, afterAbilityId);
    return query == null ? MatchAllDocsQuery.INSTANCE : query;
  }

  /**
   * A service filter: term queries for a few services (the cheapest filter to turn into the
   * bit set a kNN search needs), a set query for many.
   */
  private static Query services(java.util.Set<String> names) {
    if (names.size() == 1) {
      return new TermQuery(new Term(AbilityDocuments.SERVICE, names.iterator().next()));
    }
    if (names.size() <= 16) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      names.forEach(name -> any.add(new TermQuery(new Term(AbilityDocuments.SERVICE, name)),
          BooleanClause.Occur.SHOULD));
      return new org.apache.lucene.search.ConstantScoreQuery(any.build());
    }
    return KeywordField.newSetQuery(AbilityDocuments.SERVICE, names.stream().map(org.apache.lucene.util.BytesRef::new)
        .toList());
  }

  private static void range(List<Query> clauses, String field, @Nullable Instant from, @Nullable Instant before) {
    if (from != null || before != null) {
      long lower = from == null ? Long.MIN_VALUE : AbilityDocuments.micros(from);
      long upper = before == null ? Long.MAX_VALUE : AbilityDocuments.micros(before) - 1;
      clauses.add(LongField.newRangeQuery(field, lower, upper));
    }
  }
}
