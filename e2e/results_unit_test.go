package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplaceResultsBlock(t *testing.T) {
	t.Run("replaces only what lies between the markers", func(t *testing.T) {
		doc := "# T\n\n" + resultsBegin + "\nold\n" + resultsEnd + "\n\n## After\n"
		got, err := replaceResultsBlock(doc, "new\n")
		require.NoError(t, err)
		assert.Equal(t, "# T\n\n"+resultsBegin+"\nnew\n"+resultsEnd+"\n\n## After\n", got)
	})
	t.Run("appends a section with the markers when there are none", func(t *testing.T) {
		got, err := replaceResultsBlock("# T\n\ntext\n\n", "new\n")
		require.NoError(t, err)
		assert.Equal(t, "# T\n\ntext\n\n## Browser results\n\n"+resultsBegin+"\nnew\n"+resultsEnd+"\n", got)
	})
	t.Run("refuses markers out of order", func(t *testing.T) {
		_, err := replaceResultsBlock(resultsEnd+"\n"+resultsBegin+"\n", "new\n")
		assert.Error(t, err)
	})
	t.Run("refuses a lone end marker", func(t *testing.T) {
		_, err := replaceResultsBlock("x\n"+resultsEnd+"\n", "new\n")
		assert.Error(t, err)
	})
}
