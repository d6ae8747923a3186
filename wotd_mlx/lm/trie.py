"""A trie of the lexicon's token sequences, used to constrain decoding to real, not-yet-used words."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


class WordTrie:
    """Nodes are ints (0 is the root); each knows its children by token and how many words lie below it,
    so a decoder can steer around words it has already written (no duplicates) without dead ends."""

    def __init__(self, words: Sequence[str], encode: Callable[[Sequence[str]], list[list[int]]]):
        self.words = list(words)
        self.children: list[dict[int, int]] = [{}]
        self.word_at: list[int] = [-1]  # node -> index of the word ending there, -1 if none
        self.below: list[int] = [0]  # node -> number of words ending at or below it
        self.parent: list[int] = [-1]
        self.end_of: dict[int, int] = {}  # word index -> its end node (words kept in the trie)
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
                    self.parent.append(path[-1])
                path.append(nxt)
            if self.word_at[path[-1]] != -1:
                continue  # two spellings with one tokenization: keep the first
            self.word_at[path[-1]] = wi
            self.end_of[wi] = path[-1]
            for node in path:
                self.below[node] += 1

    def __len__(self) -> int:
        return sum(1 for w in self.word_at if w >= 0)

    def cursor(self, only: Iterable[int] | None = None) -> TrieCursor:
        """A fresh walk with its own record of used words; `only` (word indices) restricts it to those."""
        return TrieCursor(self, only)

    def count_below(self, only: set[int]) -> list[int]:
        """Like `below`, counting only the words in `only`."""
        below = [0] * len(self.children)
        for wi in only:
            node = self.end_of.get(wi, -1)
            while node != -1:
                below[node] += 1
                node = self.parent[node]
        return below


class TrieCursor:
    """Walks the trie one token at a time for one generation, remembering which words were used."""

    def __init__(self, trie: WordTrie, only: Iterable[int] | None = None):
        self.trie = trie
        self.only = None if only is None else set(only)
        self.below = trie.below if self.only is None else trie.count_below(self.only)
        self.used: dict[int, int] = {}  # node -> words used at or below it
        self.node = 0
        self.used_words: set[int] = set()

    def _left(self, node: int) -> int:
        return self.below[node] - self.used.get(node, 0)

    def exhausted(self) -> bool:
        return self._left(0) == 0

    def allowed(self) -> list[int]:
        """Tokens that continue towards an unused word from the current node."""
        return [t for t, child in self.trie.children[self.node].items() if self._left(child) > 0]

    def can_end(self) -> bool:
        """Whether the tokens so far spell an unused word."""
        wi = self.trie.word_at[self.node]
        return wi >= 0 and wi not in self.used_words and (self.only is None or wi in self.only)

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
