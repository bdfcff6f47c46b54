export default Queue

function Queue(initial = []) {
  let xs = initial.slice()
  let index = 0

  return {
    get length() {
      return xs.length - index
    },
    remove: (x) => {
      // spotter patch: search only the live part, and empty the array when nothing is
      // left, as shift does; else the holes shift leaves grow without end under load
      const at = xs.indexOf(x, index)
      if (at === -1)
        return null
      xs.splice(at, 1)
      if (index === xs.length) {
        index = 0
        xs = []
      }
      return x
    },
    push: (x) => (xs.push(x), x),
    shift: () => {
      const out = xs[index++]

      if (index === xs.length) {
        index = 0
        xs = []
      } else if (index >= 1024 && index * 2 >= xs.length) { // spotter patch: drop the holes
        xs = xs.slice(index)
        index = 0
      } else {
        xs[index - 1] = undefined
      }

      return out
    }
  }
}
