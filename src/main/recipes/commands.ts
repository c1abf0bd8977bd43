/** The recipe commands, as the command door runs and logs them. */
import type { CommandTable } from '../../shared/command-table';
import type { RecipeBook } from './recipe-desk';

export function recipeCommands(recipes: RecipeBook): CommandTable<'recipe.create' | 'recipe.update' | 'recipe.delete'> {
  return {
    'recipe.create': {
      run: (command) => ({ ok: true, result: { recipe: recipes.create(command.recipe) } }),
      describe: (command) => `${command.type} ${command.recipe.id}`,
    },
    'recipe.update': {
      run: (command) => ({ ok: true, result: { recipe: recipes.update(command.recipe) } }),
      describe: (command) => `${command.type} ${command.recipe.id}`,
    },
    'recipe.delete': {
      run: (command) => {
        recipes.delete(command.recipeId);
        return { ok: true, result: { recipeId: command.recipeId } };
      },
      describe: (command) => `${command.type} ${command.recipeId}`,
    },
  };
}
