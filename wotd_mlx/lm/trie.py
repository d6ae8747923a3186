"""A trie of the lexicon's token sequences, used to constrain decoding to real, not-yet-used words."""

from __future__ import annotations

from collections.abc import Callable, Sequence


class WordTrie:
    """Nodes are ints (0 is the root); each knows its children by token and how many words lie below it,
    so a decoder can steer around words it has already written (no duplicates) without dead ends."""

    def __init__(self, words: Sequence[str], encode: Callable[[Sequence[str]], list[list[int]]]):
        self.words = list(words)
        self.children: list[dict[int, int]] = [{}]
        self.word_at: list[int] = [-1]  # node -> index of the word ending there, -1 if none
        self.below: list[int] = [0]  # node -> number of words ending at or below it
        for wi, tokens in enumerate(encode(self.words)):
            if not tokens:
                continue
            path = [0]
            for t in tokens:
                nxt = self.children[path[-1]].get(t)
                if nxt is None:
                    nxt = len(self.children)
                    self.children[path[-1]][t] = nxt
                    self.children.append({})
                    self.word_at.append(-1)
                    self.below.append(0)
                path.append(nxt)
            if self.word_at[path[-1]] != -1:
                continue  # two spellings with one tokenization: keep the first
            self.word_at[path[-1]] = wi
            for node in path:
                self.below[node] += 1

    def __len__(self) -> int:
        return sum(1 for w in self.word_at if w >= 0)

    def cursor(self) -> TrieCursor:
        """A fresh walk with its own record of used words."""
        return TrieCursor(self)


class TrieCursor:
    """Walks the trie one token at a time for one generation, remembering which words were used."""

    def __init__(self, trie: WordTrie):
        self.trie = trie
        self.used: dict[int, int] = {}  # node -> words used at or below it
        self.node = 0
        self.used_words: set[int] = set()

    def _left(self, node: int) -> int:
        return self.trie.below[node] - self.used.get(node, 0)

    def exhausted(self) -> bool:
        return self._left(0) == 0

    def allowed(self) -> list[int]:
        """Tokens that continue towards an unused word from the current node."""
        return [t for t, child in self.trie.children[self.node].items() if self._left(child) > 0]

    def can_end(self) -> bool:
        """Whether the tokens so far spell an unused word."""
        wi = self.trie.word_at[self.node]
        return wi >= 0 and wi not in self.used_words

    def advance(self, token: int) -> None:
        self.node = self.trie.children[self.node][token]

    def finish(self, path: Sequence[int]) -> int:
        """End the word spelled by `path` (its tokens): mark it used, return its index, reset to the root."""
        wi = self.trie.word_at[self.node]
        self.used_words.add(wi)
        node = 0
        self.used[0] = self.used.get(0, 0) + 1
        for t in path:
            node = self.trie.children[node][t]
            self.used[node] = self.used.get(node, 0) + 1
        self.node = 0
        return wi
