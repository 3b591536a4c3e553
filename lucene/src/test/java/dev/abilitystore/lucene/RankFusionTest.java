package dev.abilitystore.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RankFusionTest {
  private static final Offset<Float> CLOSE = Offset.offset(1e-6f);

  @Test
  void convex_normalisesEachListOverItsCandidates_andAveragesWithTheWeights() {
    List<ScoreDoc> vector = List.of(new ScoreDoc(1, 0.9f), new ScoreDoc(2, 0.8f), new ScoreDoc(3, 0.5f));
    List<ScoreDoc> keyword = List.of(new ScoreDoc(2, 12f), new ScoreDoc(4, 6f), new ScoreDoc(1, 3f));

    List<ScoreDoc> fused = RankFusion.convex(vector, keyword, 1f, 1f, 10);

    // vector: 1 → 1, 2 → 0.75, 3 → 0; keyword: 2 → 1, 4 → 1/3, 1 → 0
    assertThat(fused).extracting(hit -> hit.doc).containsExactly(2, 1, 4, 3);
    assertThat(fused.get(0).score).isCloseTo(0.875f, CLOSE);
    assertThat(fused.get(1).score).isCloseTo(0.5f, CLOSE);
    assertThat(fused.get(2).score).isCloseTo(1 / 6f, CLOSE);
    assertThat(fused.get(3).score).isCloseTo(0f, CLOSE);
  }

  @Test
  void convex_weightsShiftTheBalance_andOneElementListsScoreOne() {
    List<ScoreDoc> vector = List.of(new ScoreDoc(1, 0.7f));
    List<ScoreDoc> keyword = List.of(new ScoreDoc(2, 4f));

    List<ScoreDoc> fused = RankFusion.convex(vector, keyword, 3f, 1f, 10);

    assertThat(fused).extracting(hit -> hit.doc).containsExactly(1, 2);
    assertThat(fused.get(0).score).isCloseTo(0.75f, CLOSE);
    assertThat(fused.get(1).score).isCloseTo(0.25f, CLOSE);
  }

  @Test
  void convex_emptyKeywordList_leavesTheVectorOrder_andTiesGoToTheSmallerDocument() {
    List<ScoreDoc> vector = List.of(new ScoreDoc(7, 0.9f), new ScoreDoc(5, 0.9f), new ScoreDoc(3, 0.1f));

    List<ScoreDoc> fused = RankFusion.convex(vector, List.of(), 1f, 1f, 2);

    assertThat(fused).extracting(hit -> hit.doc).containsExactly(5, 7);
  }

  @Test
  void rrf_scoresByRankOnly_dividedByTheBestPossible() {
    List<ScoreDoc> vector = List.of(new ScoreDoc(1, 0.9f), new ScoreDoc(2, 0.1f));
    List<ScoreDoc> keyword = List.of(new ScoreDoc(1, 100f));

    List<ScoreDoc> fused = RankFusion.fuse(vector, keyword, 1f, 1f, 60, 10);

    assertThat(fused).extracting(hit -> hit.doc).containsExactly(1, 2);
    assertThat(fused.get(0).score).isCloseTo(1f, CLOSE);
    assertThat(fused.get(1).score).isCloseTo((1 / 62f) / (2 / 61f), CLOSE);
  }
}
